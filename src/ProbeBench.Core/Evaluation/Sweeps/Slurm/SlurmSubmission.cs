using System.Text.Json;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Evaluation.Sweeps.Slurm;

/// <summary>One sbatch array ProbeBench submitted for a sweep: which units its tasks run (task i runs slice i of the list).</summary>
public sealed record SlurmSubmission(int Round, string Phase, string JobId, string Script, string UnitList, int UnitsPerTask, int Tasks, DateTimeOffset SubmittedUtc, string? Dependency);

/// <summary><c>slurm/submissions.json</c>: every array submitted for the sweep, in order.</summary>
public static class SlurmSubmissions
{
    /// <summary>Largest submission or unit list read (64 MiB): each is a line or a short record per unit.</summary>
    public const long MaxBytes = 64L << 20;

    public static string PathOf(SweepFolder sweep) => sweep.Sub("slurm", "submissions.json");

    public static IReadOnlyList<SlurmSubmission> Read(SweepFolder sweep)
    {
        var path = PathOf(sweep);
        if (InputFiles.ReadSmallTextIfPresent(path, "The Slurm submissions record", MaxBytes) is not { } text) return [];
        try
        {
            return JsonSerializer.Deserialize<List<SlurmSubmission>>(text, SweepFolder.Json) ?? [];
        }
        catch (JsonException e)
        {
            throw new ProbeBenchException($"{path} is unreadable ({e.Message}).", inner: e);
        }
    }

    public static void Append(SweepFolder sweep, SlurmSubmission submission) =>
        AtomicFile.WriteAllText(PathOf(sweep), JsonSerializer.Serialize(Read(sweep).Append(submission).ToList(), SweepFolder.Json));
}
