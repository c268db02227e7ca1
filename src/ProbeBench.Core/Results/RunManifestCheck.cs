using System.Text.Json.Nodes;

namespace ProbeBench.Core.Results;

/// <summary>
/// What a run's manifest.json must hold before its readers trust it: JSON nulls pass a record's required members, and a
/// Config that is not an object has no settings to look up, so each would surface later as a crash far from the file.
/// </summary>
internal static class RunManifestCheck
{
    public static string? Problem(RunManifest m)
    {
        if (m.RunName is null) return "RunName is missing";
        if (m.Config is null) return "Config is missing";
        if (m.Config is not JsonObject) return $"Config is {m.Config.GetValueKind()}, not an object";
        if (m.Environment is null) return "Environment is missing";
        if (m.CheckpointSha256 is null || m.DatasetFingerprints is null || m.Seeds is null || m.Notes is null || m.Units is null)
            return "CheckpointSha256, DatasetFingerprints, Seeds, Notes or Units is null";
        if (m.Units.Any(u => u is null)) return "Units holds a null";
        return null;
    }
}
