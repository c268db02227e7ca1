using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Evaluation.Sweeps.Slurm;

/// <summary>What one submit did: the arrays it submitted (or wrote, for a dry run) and what it cancelled.</summary>
public sealed record SlurmSubmitOutcome(IReadOnlyList<SlurmSubmission> Submitted, IReadOnlyList<string> Cancelled, string Message);

/// <summary>
/// <c>sweep submit --backend slurm</c>: the extraction units as one sbatch array and the head units as a second array that
/// starts once every extraction task succeeded (<c>--dependency=afterok</c>). <c>--retry-failed</c> resubmits what failed or
/// never ran (cancelling head arrays whose dependency can no longer be met), the same way.
/// </summary>
public static class SlurmBackend
{
    /// <summary>Slurm's default MaxArraySize is 1001 (indices 0-1000).</summary>
    public const int MaxTasksPerArray = 1000;

    public static SlurmSubmitOutcome Submit(SweepFolder sweep, SlurmOptions options, bool retryFailed)
    {
        Check(options);
        var previous = SlurmSubmissions.Read(sweep);
        var queue = options.DryRun ? new Dictionary<string, QueuedTask>() : SlurmQueue.Read(sweep, previous);
        var status = SweepStatus.Of(sweep, queue).ToDictionary(s => s.Unit.Id);
        var cancelled = new List<string>();
        if (previous.Count > 0 && !options.DryRun)
        {
            var active = status.Values.Where(s => s.State is UnitState.Queued or UnitState.Running).ToList();
            if (!retryFailed)
                throw new ProbeBenchException(
                    $"{sweep.Path} was submitted already (jobs {string.Join(", ", previous.Select(p => p.JobId).Distinct())}); see probebench sweep status, or resubmit what failed with --retry-failed.");
            if (active.Count > 0)
                throw new ProbeBenchException(
                    $"{active.Count} units of {sweep.Path} are still queued or running (e.g. {active[0].Unit.Id}: {active[0].Detail}); wait for them (probebench sweep status --wait) before --retry-failed.");
            // Head arrays whose extraction failed wait forever (DependencyNeverSatisfied): cancel them, they are resubmitted below.
            foreach (var job in queue.Values.Where(t => t.Reason.Contains("DependencyNeverSatisfied", StringComparison.OrdinalIgnoreCase))
                         .Select(t => t.JobId.Split('_')[0]).Distinct())
            {
                var result = ExternalCommand.Run("scancel", [job]);
                if (result.ExitCode != 0) throw new ProbeBenchException($"scancel {job} failed: {result.StdErr.Trim()}");
                cancelled.Add(job);
            }
        }
        bool Open(WorkUnit u) => status[u.Id].State is not UnitState.Done;
        var extract = sweep.Units(SweepPhase.Extract).Where(Open).Select(u => u.Id).ToList();
        var heads = sweep.Units(SweepPhase.Heads).Where(Open).Select(u => u.Id).ToList();
        if (extract.Count == 0 && heads.Count == 0)
            return new SlurmSubmitOutcome([], cancelled, $"all {sweep.Graph.Units.Count} units of {sweep.Path} are done; nothing to submit.");

        var round = previous.Select(p => p.Round).DefaultIfEmpty(0).Max() + 1;
        var submitted = new List<SlurmSubmission>();
        string? extractJob = null;
        if (extract.Count > 0)
        {
            var submission = SubmitArray(sweep, options, "extract", round, extract, dependency: null);
            submitted.Add(submission);
            extractJob = submission.JobId;
        }
        if (heads.Count > 0)
            submitted.Add(SubmitArray(sweep, options, "heads", round, heads, extractJob is null ? null : $"afterok:{extractJob}"));
        var verb = options.DryRun ? "wrote (dry run, not submitted)" : "submitted";
        return new SlurmSubmitOutcome(submitted, cancelled,
            $"{verb} round {round}: " + string.Join("; ", submitted.Select(s => $"{s.Phase}: {s.Tasks} task(s) × {s.UnitsPerTask} unit(s){(s.JobId == "" ? "" : $" as job {s.JobId}")}{(s.Dependency is null ? "" : $" after {s.Dependency}")}")));
    }

    private static SlurmSubmission SubmitArray(SweepFolder sweep, SlurmOptions options, string phase, int round, IReadOnlyList<string> ids, string? dependency)
    {
        var perTask = Math.Min(ids.Count, options.UnitsPerTask ?? Math.Max(1, (ids.Count + MaxTasksPerArray - 1) / MaxTasksPerArray));
        var tasks = (ids.Count + perTask - 1) / perTask;
        var list = sweep.Sub("slurm", $"round-{round}-{phase}.units");
        var script = sweep.Sub("slurm", $"round-{round}-{phase}.sbatch");
        Directory.CreateDirectory(sweep.LogsFolder);
        AtomicFile.WriteAllText(list, string.Join('\n', ids) + "\n");
        AtomicFile.WriteAllText(script, SlurmScript.Render(sweep, phase, round, list, tasks, perTask, options));
        var jobId = "";
        if (!options.DryRun)
        {
            var args = new List<string> { "--parsable" };
            if (dependency is not null) args.Add($"--dependency={dependency}");
            args.Add(script);
            var result = ExternalCommand.Run("sbatch", args);
            if (result.ExitCode != 0)
                throw new ProbeBenchException($"sbatch {script} failed (exit {result.ExitCode}): {result.StdErr.Trim().Split('\n')[0]}");
            // --parsable prints "jobid" or "jobid;cluster".
            jobId = result.StdOut.Trim().Split(';')[0];
            if (!jobId.All(char.IsAsciiDigit) || jobId.Length == 0)
                throw new ProbeBenchException($"sbatch {script} answered '{result.StdOut.Trim()}', not a job id.");
        }
        var submission = new SlurmSubmission(round, phase, jobId, script, list, perTask, tasks, DateTimeOffset.UtcNow, dependency);
        if (!options.DryRun) SlurmSubmissions.Append(sweep, submission);
        return submission;
    }

    /// <summary>Every option goes into a #SBATCH line: one word each, no control characters, plain numbers where numbers go.</summary>
    public static void Check(SlurmOptions options)
    {
        void Word(string flag, string? value)
        {
            if (value is null) return;
            if (value.Length == 0 || value.Length > 256 || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '\'' or '"' or '`' or '$' or '\\'))
                throw new ProbeBenchException($"{flag}: '{value}' must be one word without spaces, quotes or control characters.");
        }
        Word("--partition", options.Partition);
        Word("--account", options.Account);
        Word("--gres", options.Gres);
        Word("--heads-gres", options.HeadsGres);
        Word("--time", options.Time);
        Word("--mem", options.Memory);
        foreach (var extra in options.ExtraArguments)
        {
            Word("--sbatch-arg", extra);
            if (!extra.StartsWith('-')) throw new ProbeBenchException($"--sbatch-arg: '{extra}' is not an sbatch option (it must start with -).");
        }
        if (options.CpusPerTask is <= 0) throw new ProbeBenchException($"--cpus-per-task: expected a positive integer, got {options.CpusPerTask}.");
        if (options.MaxParallel is <= 0) throw new ProbeBenchException($"--max-parallel: expected a positive integer, got {options.MaxParallel}.");
        if (options.UnitsPerTask is <= 0) throw new ProbeBenchException($"--units-per-task: expected a positive integer, got {options.UnitsPerTask}.");
        if (options.Command.Count == 0) throw new ProbeBenchException("The command that starts probebench on a node is empty.");
    }
}
