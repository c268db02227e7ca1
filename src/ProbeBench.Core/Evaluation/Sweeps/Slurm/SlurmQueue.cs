using ProbeBench.Core.IO;

namespace ProbeBench.Core.Evaluation.Sweeps.Slurm;

/// <summary>
/// What squeue says about a sweep's arrays, per unit: one call for every job ProbeBench submitted. Jobs that left the
/// queue are simply absent (their units' records tell how they ended); Slurm's accounting is never asked.
/// </summary>
public static class SlurmQueue
{
    public static IReadOnlyDictionary<string, QueuedTask> Read(SweepFolder sweep, IReadOnlyList<SlurmSubmission> submissions)
    {
        var queue = new Dictionary<string, QueuedTask>();
        var jobs = submissions.Where(s => s.JobId != "").ToList();
        if (jobs.Count == 0) return queue;
        var result = ExternalCommand.Run("squeue", ["--noheader", "--array", $"--jobs={string.Join(',', jobs.Select(j => j.JobId))}", "--format=%i|%T|%r"]);
        if (result.ExitCode != 0)
        {
            // Every listed job has left the queue.
            if (result.StdErr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase)) return queue;
            throw new ProbeBenchException($"squeue failed (exit {result.ExitCode}): {result.StdErr.Trim().Split('\n')[0]}");
        }
        foreach (var task in Parse(result.StdOut))
        {
            var submission = jobs.LastOrDefault(j => j.JobId == task.JobId);
            if (submission is null || task.Index is not { } index) continue;
            var ids = ReadList(submission.UnitList);
            if (submission.UnitsPerTask <= 0) continue; // not a submission ProbeBench wrote
            foreach (var id in ids.Skip((int)Math.Min((long)index * submission.UnitsPerTask, ids.Count)).Take(submission.UnitsPerTask))
                queue[id] = new QueuedTask($"{task.JobId}_{index}", task.State, task.Reason);
        }
        return queue;
    }

    /// <summary>squeue lines "4711_3|RUNNING|None" as (job, task index, state, reason); a pending range "4711_[4-7]" counts each task.</summary>
    public static IEnumerable<(string JobId, int? Index, string State, string Reason)> Parse(string output)
    {
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split('|');
            if (fields.Length < 3) continue;
            var (id, state, reason) = (fields[0], fields[1], fields[2]);
            var underscore = id.IndexOf('_');
            if (underscore < 0)
            {
                yield return (id, null, state, reason);
                continue;
            }
            var job = id[..underscore];
            var tasks = id[(underscore + 1)..].Trim('[', ']').Split('%')[0];
            foreach (var part in tasks.Split(','))
            {
                var range = part.Split('-');
                if (!int.TryParse(range[0], out var first)) continue;
                var last = range.Length > 1 && int.TryParse(range[1], out var end) ? end : first;
                // Slurm's array indices stop far below this (MaxArraySize); a wider range is not squeue's and is skipped.
                if (first < 0 || last - (long)first > MaxArrayTasks) continue;
                for (long i = first; i <= last; i++) yield return (job, (int)i, state, reason); // in 64 bits: last may be int.MaxValue
            }
        }
    }

    /// <summary>A submission's unit list (its path comes from submissions.json): none when missing, else a small regular file.</summary>
    public static IReadOnlyList<string> ReadList(string path) =>
        InputFiles.ReadSmallTextIfPresent(path, "The Slurm unit list", SlurmSubmissions.MaxBytes) is { } text
            ? text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList()
            : [];

    private const int MaxArrayTasks = 4_000_000;
}
