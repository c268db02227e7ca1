using ProbeBench.Core.IO;

namespace ProbeBench.Core.Evaluation.Sweeps;

/// <summary>Where a unit stands. Done, Failed and Blocked are final until someone resubmits.</summary>
public enum UnitState { NotStarted, Queued, Running, Done, Failed, Blocked }

/// <summary>A scheduler's view of one unit's task (from squeue): its job id, state and reason.</summary>
public sealed record QueuedTask(string JobId, string State, string Reason);

/// <summary>One unit's standing, with what explains it (the holder, the queue reason, the error).</summary>
public sealed record UnitStatus(SweepUnitEntry Unit, UnitState State, string Detail, string? Host = null, string? Device = null, double? Seconds = null);

/// <summary>
/// A sweep's standing from the units' own records (records, attempts, failures, locks) and, where given, the scheduler's
/// queue: no accounting database is needed (single-node Slurm clusters have none).
/// </summary>
public static class SweepStatus
{
    public static IReadOnlyList<UnitStatus> Of(SweepFolder sweep, IReadOnlyDictionary<string, QueuedTask>? queue = null)
    {
        var states = new Dictionary<string, UnitStatus>();
        foreach (var entry in sweep.Manifest.Units)
        {
            var status = Look(sweep, entry, queue);
            if (status.State == UnitState.NotStarted && entry.DependsOn.Any(d => states.TryGetValue(d, out var s) && s.State is UnitState.Failed or UnitState.Blocked))
                status = status with { State = UnitState.Blocked, Detail = "a unit it needs failed" };
            states[entry.Id] = status;
        }
        return sweep.Manifest.Units.Select(u => states[u.Id]).ToList();
    }

    private static bool IsNeverSatisfied(QueuedTask task) => task.Reason.Contains("DependencyNeverSatisfied", StringComparison.OrdinalIgnoreCase);

    private static UnitStatus Look(SweepFolder sweep, SweepUnitEntry entry, IReadOnlyDictionary<string, QueuedTask>? queue)
    {
        if (sweep.Records.TryGet(entry.Id) is { } record)
            return new UnitStatus(entry, UnitState.Done, record.Worker, record.Host, record.Device, (record.FinishedUtc - record.StartedUtc).TotalSeconds);
        var lockPath = sweep.LockPath(entry.Id);
        if (FileLock.IsHeld(lockPath, out var holder))
            return new UnitStatus(entry, UnitState.Running, holder?.ToString() ?? "held by a worker", holder?.Host);
        var failure = UnitAttempt.Read(UnitAttempt.FailurePath(sweep, entry.Id));
        var attempt = UnitAttempt.Read(UnitAttempt.AttemptPath(sweep, entry.Id));
        if (queue is not null && queue.TryGetValue(entry.Id, out var task))
        {
            if (IsNeverSatisfied(task)) return new UnitStatus(entry, UnitState.Blocked, $"job {task.JobId}: {task.Reason}");
            if (task.State is "PENDING" or "CONFIGURING" or "REQUEUED" or "RUNNING" or "COMPLETING")
                return new UnitStatus(entry, task.State == "PENDING" ? UnitState.Queued : UnitState.Running, $"job {task.JobId} {task.State.ToLowerInvariant()} ({task.Reason})");
        }
        if (failure is not null && (attempt is null || failure.StartedUtc >= attempt.StartedUtc))
            return new UnitStatus(entry, UnitState.Failed, failure.Error ?? "failed", failure.Host, failure.Device);
        if (attempt is not null)
            return new UnitStatus(entry, UnitState.Failed, $"interrupted: started by {attempt.Worker} on {attempt.Host} at {attempt.StartedUtc:u}, no record and no worker holds it", attempt.Host, attempt.Device);
        return new UnitStatus(entry, UnitState.NotStarted, "");
    }
}
