using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Evaluation.Sweeps;

/// <summary>What one worker did: units it ran, units already done, units that failed (their records are in failures/).</summary>
public sealed record SweepWorkSummary(int Ran, int AlreadyDone, int Failed, int Blocked);

/// <summary>
/// Runs a sweep's units in this process, idempotently against the shared sweep folder and cache: a unit with a record is a
/// no-op; a unit runs under its lock (<c>locks/&lt;id&gt;.lock</c>), so two workers never run it at once and one killed
/// mid-way is taken over and resumes from the cache's whole chunks. One runner serves every unit (a backbone loads once).
/// </summary>
public sealed class SweepWorker : IDisposable
{
    private readonly SweepFolder _sweep;
    private readonly RunCallbacks _callbacks;
    private readonly UnitPlacement _placement;
    private readonly UnitRunner _runner;
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    public SweepWorker(SweepFolder sweep, RunCallbacks? callbacks = null, UnitPlacement? placement = null)
    {
        _sweep = sweep;
        _callbacks = callbacks ?? new RunCallbacks();
        _placement = placement ?? new UnitPlacement(Worker: "sweep work");
        if (_placement.Device is { } device) CheckDevice(sweep.Plan.Device, device);
        _runner = UnitRunner.For(sweep.Plan, _callbacks, _placement);
    }

    /// <summary>A worker's device must be of the plan's kind: features computed on another kind of device differ in their bits.</summary>
    public static void CheckDevice(string planned, string device)
    {
        if (RunPlanRules.Check("device", device) is { } problem) throw new ProbeBenchException($"--device: {problem}.");
        var kind = Cache.FeatureCacheKeyParts.DeviceKind(planned);
        if (Cache.FeatureCacheKeyParts.DeviceKind(device) != kind)
            throw new ProbeBenchException($"--device {device} is not a {kind} device, as the sweep's plan ({planned}) is; its features would differ.");
    }

    private void Log(string message) => _callbacks.Log?.Invoke(message);

    private bool Done(string id) => File.Exists(_sweep.Records.PathOf(id));

    /// <summary>Runs one unit (its dependencies first when <paramref name="withDependencies"/>); true when it ran, false when it was done already.</summary>
    public async Task<bool> RunUnitAsync(string unitId, bool withDependencies = false, CancellationToken cancellation = default)
    {
        var unit = _sweep.Graph.Get(unitId);
        if (Done(unitId)) return false;
        if (withDependencies)
            foreach (var dependency in unit.DependsOn)
                await RunUnitAsync(dependency, true, cancellation);
        var claim = await FileLock.AcquireAsync(_sweep.LockPath(unitId), $"running {unitId}",
            holder => Log($"{unitId} ({unit.Describe()}) is running on {(holder is null ? "another worker" : holder.ToString())}; waiting for it"), cancellation);
        using (claim) return await RunClaimedAsync(unit, claim, cancellation);
    }

    private async Task<bool> RunClaimedAsync(WorkUnit unit, FileLock claim, CancellationToken cancellation)
    {
        if (Done(unit.Id)) return false;
        if (claim.Recovered is { } stale && stale.Pid != 0) Log($"{unit.Id}: taking over from {stale}, which stopped before finishing it");
        var attempt = new UnitAttempt(unit.Id, Environment.MachineName, Environment.ProcessId, _placement.Worker,
            _placement.Device ?? (unit is ExtractUnit extract ? extract.Device : ((HeadUnit)unit).Settings.Device), DateTimeOffset.UtcNow);
        attempt.SaveAttempt(_sweep);
        _callbacks.Status?.Invoke($"{unit.Id}: {unit.Describe()}");
        try
        {
            var record = await _runner.RunAsync(_sweep.Graph, unit.Id, _sweep.Records, cancellation);
            AtomicFile.TryDelete(UnitAttempt.FailurePath(_sweep, unit.Id));
            Log($"{unit.Id}: done in {(record.FinishedUtc - record.StartedUtc).TotalSeconds:F1} s");
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var message = e is ProbeBenchException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            (attempt with { FailedUtc = DateTimeOffset.UtcNow, Error = message }).SaveFailure(_sweep);
            throw;
        }
    }

    /// <summary>The units of <paramref name="ids"/> that array task <paramref name="index"/> runs: a slice of <paramref name="unitsPerTask"/>.</summary>
    public static IReadOnlyList<string> Slice(IReadOnlyList<string> ids, int index, int unitsPerTask)
    {
        if (unitsPerTask <= 0) throw new ProbeBenchException($"--units-per-task: expected a positive integer, got {unitsPerTask}.");
        var tasks = (int)((ids.Count + (long)unitsPerTask - 1) / unitsPerTask); // in 64 bits: the sum can pass int.MaxValue
        if (index < 0 || index >= tasks)
            throw new ProbeBenchException($"Array index {index} is outside the {tasks} tasks of this unit list (0-{tasks - 1}, {unitsPerTask} units each).");
        return ids.Skip((int)Math.Min((long)index * unitsPerTask, ids.Count)).Take(unitsPerTask).ToList();
    }

    /// <summary>Runs every unit of a slice in order; a failure is recorded and the rest still run.</summary>
    public async Task<SweepWorkSummary> RunAllAsync(IReadOnlyList<string> ids, bool withDependencies, CancellationToken cancellation = default)
    {
        int ran = 0, done = 0, failed = 0;
        foreach (var id in ids)
        {
            try
            {
                if (await RunUnitAsync(id, withDependencies, cancellation)) ran++; else done++;
            }
            catch (ProbeBenchException e)
            {
                failed++;
                Log($"{id}: failed: {e.Message}");
            }
        }
        return new SweepWorkSummary(ran, done, failed, 0);
    }

    /// <summary>
    /// Takes units of <paramref name="ids"/> that no other worker holds until none is left (how local workers share one
    /// list): a unit waits while its dependencies run elsewhere, and is blocked when one failed.
    /// </summary>
    public async Task<SweepWorkSummary> RunClaimingAsync(IReadOnlyList<string> ids, CancellationToken cancellation = default)
    {
        var listed = ids.ToHashSet();
        var failedHere = new HashSet<string>();
        int ran = 0, initiallyDone = ids.Count(Done), blocked;
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            var progressed = false;
            var waiting = false;
            blocked = 0;
            foreach (var id in ids)
            {
                if (Done(id) || failedHere.Contains(id)) continue;
                var unit = _sweep.Graph.Get(id);
                var pending = unit.DependsOn.Where(d => !Done(d)).ToList();
                if (pending.Any(d => failedHere.Contains(d) || FailedElsewhere(d)))
                {
                    blocked++;
                    continue;
                }
                if (pending.Count > 0)
                {
                    if (pending.All(d => listed.Contains(d) || IsRunning(d))) waiting = true; else blocked++;
                    continue;
                }
                if (FailedElsewhere(id)) continue;
                var claim = FileLock.TryAcquire(_sweep.LockPath(id), $"running {id}", out _);
                if (claim is null)
                {
                    waiting |= ids.Any(other => _sweep.Graph.Get(other).DependsOn.Contains(id));
                    continue;
                }
                using (claim)
                {
                    try
                    {
                        if (await RunClaimedAsync(unit, claim, cancellation)) ran++;
                    }
                    catch (ProbeBenchException e)
                    {
                        failedHere.Add(id);
                        Log($"{id}: failed: {e.Message}");
                    }
                }
                progressed = true;
            }
            if (progressed) continue;
            if (!waiting) break;
            await Task.Delay(500, cancellation);
        }
        return new SweepWorkSummary(ran, initiallyDone, failedHere.Count, blocked);
    }

    // A failure recorded by another worker since this one started (older failures are retried).
    private bool FailedElsewhere(string id) =>
        UnitAttempt.Read(UnitAttempt.FailurePath(_sweep, id)) is { FailedUtc: { } at } && at > _started && !IsRunning(id);

    private bool IsRunning(string id) => FileLock.IsHeld(_sweep.LockPath(id), out _);

    public void Dispose() => _runner.Dispose();
}
