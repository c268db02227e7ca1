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

    /// <summary>A worker writes one record of a few hundred bytes (the error is one line); 1 MiB is not one.</summary>
    public const long MaxBytes = 1L << 20;

    /// <summary>
    /// The record at <paramref name="path"/>; null when there is none or it does not parse (as if the try left no trace). A
    /// FIFO, device or folder in its place, or an oversized file, is an error naming it: it is never opened.
    /// </summary>
    public static UnitAttempt? Read(string path)
    {
        if (InputFiles.ReadSmallTextIfPresent(path, "The unit attempt record", MaxBytes) is not { } text) return null;
        try
        {
            return JsonSerializer.Deserialize<UnitAttempt>(text, SweepFolder.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
