using System.CommandLine;
using ProbeBench.Core.Evaluation;
using Spectre.Console;

namespace ProbeBench.Cli.Commands;

/// <summary>
/// <c>probebench run</c>: the main job. With no arguments it runs the built-in default plan (dinov2_vits14 on
/// CIFAR-10, cls@last, cls+avgpool@last4 and every block, logistic regression and k-NN); a config file and
/// flags change it (flags win).
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var flags = new PlanFlags();
        var config = new Option<string?>("--config") { Description = "Run plan as JSON or YAML (schema: see README)." };
        var name = new Option<string?>("--name") { Description = "Run folder name, one folder name (default: time, model and dataset)." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an earlier run folder of the same name (once the new run is complete)." };
        var format = TableOutput.FormatOption();
        var allSettings = TableOutput.AllSettingsOption();
        var command = new Command("run", "Run an evaluation: extract (through the cache), train heads, write results/<run>/ with CSV, report and figures.");
        foreach (var o in flags.All.Concat([config, name, overwrite, format, allSettings])) command.Options.Add(o);
        command.SetAction(async (parse, cancellation) =>
        {
            var plan = flags.Apply(parse.GetValue(config) is { } path ? RunPlanReader.Read(path) : new RunPlan(), parse);
            var callbacks = new RunCallbacks(
                Extraction: (title, work) => ExtractionProgressDisplay.Run(title, work),
                Download: new DownloadProgressLines(),
                Log: message => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]"),
                Status: message => AnsiConsole.MarkupLine($"[blue]»[/] {Markup.Escape(message)}"),
                Progress: WorkProgressLines.Report);
            var outcome = await RunExecutor.RunAsync(plan, callbacks, parse.GetValue(name), cancellation, parse.GetValue(overwrite));
            ResultsTable.Print(outcome.Rows, parse.GetValue(format)!, parse.GetValue(allSettings));
            AnsiConsole.MarkupLine($"[green]results:[/] {Markup.Escape(outcome.Folder)}");
            return 0;
        });
        return command;
    }
}
