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
        var common = new CommonOptions();
        var config = new Option<string?>("--config") { Description = "Run plan as JSON or YAML (schema: see README)." };
        var heads = new Option<string?>("--heads") { Description = "Comma list of heads: logreg, knn, linear." };
        var limitTrain = new Option<int?>("--limit-train") { Description = "Use a seeded, stratified subset of this many training images." };
        var limitTest = new Option<int?>("--limit-test") { Description = "Use a seeded, stratified subset of this many test images." };
        var output = new Option<string?>("--out") { Description = "Results root (a folder per run is written under it; default results/runs)." };
        var grid = new Option<string?>("--logreg-grid") { Description = "Logistic regression C values: dinov2 (45 values), coarse, or a comma list." };
        var name = new Option<string?>("--name") { Description = "Run folder name (default: time, model and dataset)." };
        var command = new Command("run", "Run an evaluation: extract (through the cache), train heads, write results/<run>/ with CSV, report and figures.");
        foreach (var o in common.All.Concat([config, heads, limitTrain, limitTest, output, grid, name])) command.Options.Add(o);
        command.SetAction(async (parse, cancellation) =>
        {
            var plan = parse.GetValue(config) is { } path ? RunPlanReader.Read(path) : new RunPlan();
            if (parse.GetValue(common.Model) is { } model)
                plan = plan with { Models = [new ModelSpec(model, parse.GetValue(common.Weights), parse.GetValue(common.ModelConfig))] };
            else if (parse.GetValue(common.Weights) is { } weights)
                plan = plan with { Models = [new ModelSpec(Path.GetFileNameWithoutExtension(weights), weights, parse.GetValue(common.ModelConfig))] };
            if (parse.GetValue(common.Dataset) is { } dataset)
                plan = plan with { Datasets = [new DatasetSpec(dataset, parse.GetValue(common.DatasetPath))] };
            plan = plan with
            {
                Layers = parse.GetValue(common.Layers) is { } layers ? CommonOptions.SplitList(layers) : plan.Layers,
                Heads = parse.GetValue(heads) is { } h ? CommonOptions.SplitList(h) : plan.Heads,
                Device = parse.GetValue(common.Device) ?? plan.Device,
                Precision = parse.GetValue(common.Precision) ?? plan.Precision,
                BatchSize = parse.GetValue(common.BatchSize) ?? plan.BatchSize,
                Recipe = parse.GetValue(common.Recipe) ?? plan.Recipe,
                LimitTrain = parse.GetValue(limitTrain) ?? plan.LimitTrain,
                LimitTest = parse.GetValue(limitTest) ?? plan.LimitTest,
                Seed = parse.GetValue(common.Seed) ?? plan.Seed,
                Out = parse.GetValue(output) ?? plan.Out,
                DataRoot = parse.GetValue(common.DataRoot) ?? plan.DataRoot,
                CacheRoot = parse.GetValue(common.CacheRoot) ?? plan.CacheRoot,
                LogRegGrid = parse.GetValue(grid) ?? plan.LogRegGrid,
            };

            RunOutcome outcome = null!;
            var callbacks = new RunCallbacks(
                Extraction: (title, work) => ExtractionProgressDisplay.Run(title, work),
                Download: new DownloadProgressLines(),
                Log: message => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]"),
                Status: message => AnsiConsole.MarkupLine($"[blue]»[/] {Markup.Escape(message)}"));
            outcome = await RunExecutor.RunAsync(plan, callbacks, parse.GetValue(name), cancellation);
            ResultsTable.Print(outcome.Rows);
            AnsiConsole.MarkupLine($"[green]results:[/] {Markup.Escape(outcome.Folder)}");
            return 0;
        });
        return command;
    }
}
