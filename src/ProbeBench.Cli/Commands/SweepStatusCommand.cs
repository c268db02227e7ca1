using System.CommandLine;
using ProbeBench.Core.Evaluation.Sweeps;
using ProbeBench.Core.Evaluation.Sweeps.Slurm;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench sweep status DIR [--wait]</c>: every unit's standing from its records and, for Slurm sweeps, squeue.</summary>
internal static class SweepStatusCommand
{
    public static Command Create()
    {
        var folder = SweepCommand.FolderArgument();
        var wait = new Option<bool>("--wait") { Description = "Poll until no unit is queued or running; exit 0 when all are done, 1 otherwise." };
        var poll = new Option<int>("--poll") { Description = "Seconds between polls with --wait (default 5).", DefaultValueFactory = _ => 5 };
        var timeout = new Option<int?>("--timeout") { Description = "With --wait: give up after this many seconds (exit 3)." };
        var all = new Option<bool>("--all") { Description = "List every unit, not only the ones that are not done." };
        var command = new Command("status", "Show where each unit of a sweep stands: done, running, queued, failed (with its error) or blocked.");
        command.Arguments.Add(folder);
        foreach (var o in new Option[] { wait, poll, timeout, all }) command.Options.Add(o);
        command.SetAction(async (parse, cancellation) =>
        {
            if (parse.GetValue(poll) is <= 0 or > MaxSeconds) throw new Core.ProbeBenchException($"--poll: expected 1 to {MaxSeconds} seconds, got {parse.GetValue(poll)}.");
            if (parse.GetValue(timeout) is <= 0 and var given) throw new Core.ProbeBenchException($"--timeout: expected a positive number of seconds, got {given}.");
            var sweep = SweepFolder.Open(parse.GetValue(folder)!);
            var started = DateTime.UtcNow;
            while (true)
            {
                var submissions = SlurmSubmissions.Read(sweep);
                var status = SweepStatus.Of(sweep, submissions.Count > 0 ? SlurmQueue.Read(sweep, submissions) : null);
                var active = status.Any(s => s.State is UnitState.Queued or UnitState.Running);
                if (!parse.GetValue(wait) || !active)
                {
                    foreach (var s in status.Where(s => parse.GetValue(all) || s.State != UnitState.Done))
                        Console.WriteLine($"{s.State.ToString().ToLowerInvariant(),-11} {s.Unit.Id}  {s.Unit.Description}{(s.Detail == "" ? "" : $"  ({s.Detail})")}");
                    Console.WriteLine(Counts(status));
                    if (!parse.GetValue(wait)) return 0;
                    return status.All(s => s.State == UnitState.Done) ? 0 : 1;
                }
                if (parse.GetValue(timeout) is { } limit && (DateTime.UtcNow - started).TotalSeconds > limit)
                {
                    Console.WriteLine(Counts(status));
                    Console.Error.WriteLine($"error: the sweep {sweep.Path} is still running after {limit} s.");
                    return 3;
                }
                await Task.Delay(TimeSpan.FromSeconds(parse.GetValue(poll)), cancellation);
            }
        });
        return command;
    }

    // A day: longer than any sensible poll, and far inside what Task.Delay accepts (about 49 days).
    private const int MaxSeconds = 86_400;

    internal static string Counts(IReadOnlyList<UnitStatus> status) =>
        $"{status.Count} units: " + string.Join(", ", Enum.GetValues<UnitState>().Select(state => (state, n: status.Count(s => s.State == state)))
            .Where(x => x.n > 0).Select(x => $"{x.n} {x.state.ToString().ToLowerInvariant()}"));
}
