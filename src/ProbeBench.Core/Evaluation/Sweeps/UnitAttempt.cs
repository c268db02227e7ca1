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

    /// <summary>The attempt at <paramref name="path"/>; null when there is none or it cannot be read (it only informs sweep status).</summary>
    public static UnitAttempt? Read(string path)
    {
        // Not a regular file (a FIFO would block the read forever), or larger than any attempt ProbeBench writes: not one.
        if (InputFiles.Problem(path) is not null) return null;
        try
        {
            return new FileInfo(path).Length > MaxBytes ? null : JsonSerializer.Deserialize<UnitAttempt>(File.ReadAllText(path), SweepFolder.Json);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private const long MaxBytes = 1 << 20;
}
