using System.CommandLine;
using ProbeBench.Core;
using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Evaluation.Sweeps;
using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Core.IO;
using Spectre.Console;

namespace ProbeBench.Cli.Commands;

/// <summary>
/// <c>probebench sweep work DIR</c>: run one unit, one array task's slice of units, or (<c>--claim</c>) whatever units are free.
/// The array index comes from <c>--array-index</c>, else SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX.
/// </summary>
internal static class SweepWorkCommand
{
    public static Command Create()
    {
        var folder = SweepCommand.FolderArgument();
        var unit = new Option<string?>("--unit") { Description = "Run this unit (its id from units in sweep.json)." };
        var index = new Option<int?>("--array-index") { Description = "Run the N-th slice of the unit list (default: $SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX)." };
        var list = new Option<string?>("--list") { Description = "A file of unit ids, one a line, that array indices slice (default: the phase's units)." };
        var phase = new Option<string>("--phase") { Description = "Which units: all (dependency order), extract or heads.", DefaultValueFactory = _ => "all" };
        var perTask = new Option<int>("--units-per-task") { Description = "Units per array index (default 1).", DefaultValueFactory = _ => 1 };
        var claim = new Option<bool>("--claim") { Description = "Take any unit no other worker holds, until none is left (how local workers share the list)." };
        var withDependencies = new Option<bool>("--with-dependencies") { Description = "Run a unit's unfinished dependencies first (waiting for those another worker runs)." };
        var device = new Option<string?>("--device") { Description = "Run on this device instead of the plan's (same kind: cuda:3 for a cuda plan)." };
        var label = new Option<string?>("--worker-label") { Description = "How this worker appears in records and the merged manifest." };
        var command = new Command("work", "Run work units of a sweep: idempotent (a finished unit is a no-op) and resumable (a killed one resumes from the cache).");
        command.Arguments.Add(folder);
        foreach (var o in new Option[] { unit, index, list, phase, perTask, claim, withDependencies, device, label }) command.Options.Add(o);
        command.SetAction(async (parse, cancellation) =>
        {
            if (parse.GetValue(perTask) <= 0)
                throw new ProbeBenchException($"--units-per-task: expected a positive integer, got {parse.GetValue(perTask)}.");
            var sweep = SweepFolder.Open(parse.GetValue(folder)!);
            var which = ParsePhase(parse.GetValue(phase)!);
            var arrayIndex = parse.GetValue(index) ?? EnvironmentIndex();
            var worker = parse.GetValue(label) ?? DefaultLabel();
            var callbacks = new RunCallbacks(
                Log: message => Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {message}"),
                Status: message => Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} » {message}"));
            using var runner = new SweepWorker(sweep, callbacks, new UnitPlacement(parse.GetValue(device), worker));
            SweepWorkSummary summary;
            if (parse.GetValue(unit) is { } id)
            {
                var ran = await runner.RunUnitAsync(sweep.Graph.Get(id).Id, parse.GetValue(withDependencies), cancellation);
                summary = new SweepWorkSummary(ran ? 1 : 0, ran ? 0 : 1, 0, 0);
            }
            else
            {
                var ids = parse.GetValue(list) is { } file ? ReadList(file, sweep) : sweep.Units(which).Select(u => u.Id).ToList();
                if (parse.GetValue(claim)) summary = await runner.RunClaimingAsync(ids, cancellation);
                else
                {
                    var slice = arrayIndex is { } n ? SweepWorker.Slice(ids, n, parse.GetValue(perTask)) : ids;
                    summary = await runner.RunAllAsync(slice, parse.GetValue(withDependencies), cancellation);
                }
            }
            Console.WriteLine($"{worker}: {summary.Ran} ran, {summary.AlreadyDone} already done, {summary.Failed} failed{(summary.Blocked > 0 ? $", {summary.Blocked} blocked by failures" : "")}");
            return summary.Failed > 0 ? 1 : 0;
        });
        return command;
    }

    internal static SweepPhase ParsePhase(string text) => text.ToLowerInvariant() switch
    {
        "all" => SweepPhase.All,
        "extract" => SweepPhase.Extract,
        "heads" => SweepPhase.Heads,
        _ => throw new ProbeBenchException($"--phase: '{text}' is not one of all, extract, heads."),
    };

    private static int? EnvironmentIndex()
    {
        foreach (var variable in new[] { "SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX" })
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text)
                return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
                    ? n
                    : throw new ProbeBenchException($"${variable} is '{text}', not an array index.");
        return null;
    }

    private static string DefaultLabel()
    {
        if (Environment.GetEnvironmentVariable("SLURM_ARRAY_JOB_ID") is { Length: > 0 } job)
            return $"slurm {job}_{Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID")}";
        if (Environment.GetEnvironmentVariable("JOB_COMPLETION_INDEX") is { Length: > 0 } k8s) return $"k8s index {k8s}";
        return "sweep work";
    }

    private static List<string> ReadList(string file, SweepFolder sweep)
    {
        // Checked before it is opened: a FIFO's length reads 0 and reading it would wait for a writer forever.
        var text = InputFiles.ReadSmallText(file, "--list: the unit list", 64L << 20);
        var ids = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        foreach (var id in ids) sweep.Graph.Get(id);
        return ids;
    }
}
