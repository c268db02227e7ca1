using System.Globalization;

namespace ProbeBench.Core.Results;

/// <summary>
/// What makes two rows of two runs the same measurement. Accuracy: model and checkpoint, dataset and fingerprint, split
/// sizes, layer choice, head and the head's setting (never what it chose). Speed: kind, model, split, device, precision,
/// resolution, batch size and the blocks returned. Machine, seed and timings are not part of it.
/// </summary>
public static class RowIdentity
{
    public static string Key(ResultRow r) => r.IsAccuracy
        ? Join(r.Kind, r.Model, r.CheckpointSha256, r.Dataset, r.DatasetFingerprint, r.TrainRows, r.TestRows, r.LayerChoice, r.Head, r.Setting)
        : Join(r.Kind, r.Model, r.Dataset, r.Split, r.Device, r.Precision, r.Resolution, r.BatchSize, r.LayerChoice);

    /// <summary>The row in words, for tables and errors.</summary>
    public static string Label(ResultRow r) => r.Kind switch
    {
        ResultKinds.Bench => $"bench {r.ModelLabel} {r.Precision} {r.Resolution}px batch {r.BatchSize} ({r.Device})",
        ResultKinds.Extraction => $"extraction {r.ModelLabel} {r.DatasetLabel}/{r.Split} batch {r.BatchSize} ({r.Device})",
        _ => $"{r.ModelLabel} {r.DatasetLabel} {r.LayerChoice} {r.Head} {r.Setting}".TrimEnd(),
    };

    private static string Join(params object?[] parts) =>
        string.Join('|', parts.Select(p => p is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : p?.ToString() ?? ""));
}
