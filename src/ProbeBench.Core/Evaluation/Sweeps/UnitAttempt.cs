using System.Text.Json;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Evaluation.Sweeps;

/// <summary>
/// A worker's try at a unit: written to <c>attempts/&lt;id&gt;.json</c> when it starts and, with <see cref="Error"/>, to
/// <c>failures/&lt;id&gt;.json</c> when it fails. A unit with an attempt, no record and no live lock holder was interrupted.
/// </summary>
public sealed record UnitAttempt(string UnitId, string Host, int Pid, string Worker, string Device, DateTimeOffset StartedUtc,
    DateTimeOffset? FailedUtc = null, string? Error = null)
{
    public static string AttemptPath(SweepFolder sweep, string unitId) => sweep.Sub("attempts", unitId + ".json");
    public static string FailurePath(SweepFolder sweep, string unitId) => sweep.Sub("failures", unitId + ".json");

    public void SaveAttempt(SweepFolder sweep) => AtomicFile.WriteAllText(AttemptPath(sweep, UnitId), JsonSerializer.Serialize(this, SweepFolder.Json));
    public void SaveFailure(SweepFolder sweep) => AtomicFile.WriteAllText(FailurePath(sweep, UnitId), JsonSerializer.Serialize(this, SweepFolder.Json));

    public static UnitAttempt? Read(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<UnitAttempt>(File.ReadAllText(path), SweepFolder.Json) : null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }
}
