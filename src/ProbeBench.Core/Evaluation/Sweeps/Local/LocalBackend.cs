using System.Diagnostics;
using System.Globalization;

namespace ProbeBench.Core.Evaluation.Sweeps.Local;

/// <summary>How many worker processes, on which devices, started how.</summary>
/// <param name="Command">How to start probebench (this same binary).</param>
/// <param name="Workers">Worker processes per phase.</param>
/// <param name="Devices">Worker i runs on Devices[i % count] (default: the plan's device).</param>
/// <param name="ThreadsPerWorker">CPU threads each worker's libtorch may use (OMP_NUM_THREADS); null leaves libtorch's default.</param>
public sealed record LocalOptions(IReadOnlyList<string> Command, int Workers, IReadOnlyList<string> Devices, int? ThreadsPerWorker = null);

/// <summary>What the workers did: per phase, each worker's exit code.</summary>
public sealed record LocalOutcome(IReadOnlyDictionary<string, IReadOnlyList<int>> ExitCodes)
{
    public bool Succeeded => ExitCodes.Values.All(codes => codes.All(c => c == 0));
}

/// <summary>
/// <c>sweep submit --backend local</c>: N worker processes on this machine, one per device, over the same units: first all
/// extraction units, then all head units. Workers take units as they come free (<c>sweep work --claim</c>), so a slow unit
/// does not hold the others back; the unit locks keep any unit from running twice.
/// </summary>
public static class LocalBackend
{
    public const int MaxWorkers = 256;

    public static async Task<LocalOutcome> RunAsync(SweepFolder sweep, LocalOptions options, Action<string> output, CancellationToken cancellation = default)
    {
        if (options.Workers is <= 0 or > MaxWorkers) throw new ProbeBenchException($"--workers: expected 1 to {MaxWorkers}, got {options.Workers}.");
        if (options.ThreadsPerWorker is <= 0) throw new ProbeBenchException($"--threads-per-worker: expected a positive integer, got {options.ThreadsPerWorker}.");
        var devices = options.Devices.Count > 0 ? options.Devices : [sweep.Plan.Device];
        foreach (var device in devices) SweepWorker.CheckDevice(sweep.Plan.Device, device);
        var codes = new Dictionary<string, IReadOnlyList<int>>();
        foreach (var phase in new[] { "extract", "heads" })
        {
            var ids = sweep.Units(phase == "extract" ? SweepPhase.Extract : SweepPhase.Heads);
            if (ids.All(u => File.Exists(sweep.Records.PathOf(u.Id))))
            {
                output($"{phase}: all {ids.Count} units are done");
                codes[phase] = [];
                continue;
            }
            var workers = Math.Min(options.Workers, ids.Count);
            output($"{phase}: {ids.Count} units on {workers} worker(s)");
            var processes = Enumerable.Range(0, workers).Select(i => Start(sweep, options, phase, i, devices[i % devices.Count], output)).ToList();
            try
            {
                await Task.WhenAll(processes.Select(p => p.WaitForExitAsync(cancellation)));
            }
            catch (OperationCanceledException)
            {
                foreach (var process in processes.Where(p => !p.HasExited)) process.Kill(entireProcessTree: true);
                throw;
            }
            finally
            {
                foreach (var process in processes) process.WaitForExit();
            }
            codes[phase] = processes.Select(p => p.ExitCode).ToList();
            foreach (var process in processes) process.Dispose();
        }
        return new LocalOutcome(codes);
    }

    private static Process Start(SweepFolder sweep, LocalOptions options, string phase, int index, string device, Action<string> output)
    {
        var info = new ProcessStartInfo(options.Command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var word in options.Command.Skip(1).Concat(["sweep", "work", sweep.Path, "--claim", "--phase", phase, "--device", device, "--worker-label", $"local worker {index}"]))
            info.ArgumentList.Add(word);
        if (options.ThreadsPerWorker is { } threads)
            foreach (var variable in new[] { "OMP_NUM_THREADS", "MKL_NUM_THREADS" })
                info.Environment[variable] = threads.ToString(CultureInfo.InvariantCulture);
        var process = new Process { StartInfo = info };
        var prefix = $"[worker {index} {device}] ";
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) output(prefix + line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) output(prefix + line); };
        if (!process.Start()) throw new ProbeBenchException($"Worker {index} ({options.Command[0]}) did not start.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
