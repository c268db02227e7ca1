using System.CommandLine;
using System.Globalization;
using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Evaluation.Sweeps;
using Spectre.Console;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench sweep plan PLAN --out DIR</c>: expand a plan into work units with estimates, as a sweep folder.</summary>
internal static class SweepPlanCommand
{
    public static Command Create()
    {
        var plan = new Argument<string>("plan") { Description = "The run plan (JSON or YAML, as probebench run --config takes)." };
        var output = new Option<string>("--out") { Description = "The sweep folder to write (new or empty; on a shared file system for a cluster).", Required = true };
        var gflops = new Option<double?>("--device-gflops") { Description = "Sustained GFLOP/s of the workers' device, for time estimates (default: measured here for cpu plans)." };
        var command = new Command("plan", "Expand a plan into content-addressed work units (extract a split; fit a head on a layer choice) with time and memory estimates.");
        command.Arguments.Add(plan);
        command.Options.Add(output);
        command.Options.Add(gflops);
        command.SetAction(parse =>
        {
            var file = parse.GetValue(plan)!;
            if (parse.GetValue(gflops) is <= 0 or double.NaN) throw new Core.ProbeBenchException("--device-gflops: expected a positive number.");
            var sweep = SweepPlanner.Plan(RunPlanReader.Read(file), parse.GetValue(output)!, file, parse.GetValue(gflops));
            Print(sweep);
            return 0;
        });
        return command;
    }

    internal static void Print(SweepFolder sweep)
    {
        var units = sweep.Manifest.Units;
        var table = new Table().AddColumns("kind", "units", "images", "GFLOP", "time (est.)", "longest (est.)", "peak memory (est.)");
        foreach (var group in units.GroupBy(u => u.Kind))
        {
            var e = group.Select(u => u.Estimate).ToList();
            table.AddRow(group.Key, group.Count().ToString(CultureInfo.InvariantCulture),
                group.Key == "extract" ? Sum(e.Select(x => (double?)x.Images)) : "",
                Sum(e.Select(x => x.Gflop)), Seconds(e.Sum(x => x.Seconds)), Seconds(e.Max(x => x.Seconds)), Bytes(e.Max(x => x.PeakMemoryBytes)));
        }
        AnsiConsole.Write(table);
        foreach (var note in units.Select(u => u.Estimate.Basis).Where(b => b != "").Distinct()) AnsiConsole.MarkupLine($"[grey]estimate: {Markup.Escape(note)}[/]");
        if (sweep.Manifest.DeviceGflops is { } rate)
            AnsiConsole.MarkupLine($"[grey]times assume {rate.ToString("F0", CultureInfo.InvariantCulture)} GFLOP/s ({Markup.Escape(sweep.Manifest.DeviceGflopsSource)})[/]");
        foreach (var note in sweep.Manifest.Notes) AnsiConsole.MarkupLine($"[yellow]note:[/] {Markup.Escape(note)}");
        AnsiConsole.MarkupLine($"[green]sweep:[/] {Markup.Escape(sweep.Path)} ({units.Count} units)");
        AnsiConsole.MarkupLine($"next: probebench sweep submit {Markup.Escape(sweep.Path)} --backend slurm|local|k8s");
    }

    private static string Sum(IEnumerable<double?> values)
    {
        var list = values.ToList();
        return list.Any(v => v is null) ? "?" : list.Sum()!.Value.ToString("N0", CultureInfo.InvariantCulture);
    }

    internal static string Seconds(double? seconds) => seconds switch
    {
        null => "?",
        < 1 => "<1 s",
        < 120 => $"{seconds.Value.ToString("F0", CultureInfo.InvariantCulture)} s",
        < 7200 => $"{(seconds.Value / 60).ToString("F0", CultureInfo.InvariantCulture)} min",
        _ => $"{(seconds.Value / 3600).ToString("F1", CultureInfo.InvariantCulture)} h",
    };

    private static string Bytes(long? bytes) => bytes is null ? "?" : $"{(bytes.Value / (double)(1L << 20)).ToString("N0", CultureInfo.InvariantCulture)} MiB";
}
