using System.CommandLine;
using ProbeBench.Core.Results;
using Spectre.Console;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench results list|show</c>: past runs under a results root.</summary>
internal static class ResultsCommand
{
    public static Command Create()
    {
        var root = new Option<string>("--root") { Description = "Results root.", DefaultValueFactory = _ => "results/runs" };
        var list = new Command("list", "List past runs: name, time, models, datasets, rows.");
        list.Options.Add(root);
        list.SetAction(parse =>
        {
            var runs = RunFolders.List(parse.GetValue(root)!);
            var table = new Table().AddColumns("run", "finished (UTC)", "models", "datasets", "rows", "best top-1 %", "status");
            foreach (var run in runs)
                table.AddRow(Markup.Escape(run.Name), run.Manifest?.FinishedUtc.ToString("u") ?? "?", Markup.Escape(string.Join(", ", run.Models)),
                    Markup.Escape(string.Join(", ", run.Datasets)), run.Rows.ToString(), run.BestTop1 is { } t ? $"{100 * t:F2}" : "-",
                    run.Problem is { } problem ? $"[red]{Markup.Escape(problem)}[/]" : run.Complete ? "[green]complete[/]" : "[yellow]no completion marker[/]");
            AnsiConsole.Write(table);
            if (runs.Count == 0) AnsiConsole.MarkupLine($"no runs under {Markup.Escape(parse.GetValue(root)!)}");
            return 0;
        });

        var run = new Argument<string>("run") { Description = "Run folder or results.csv." };
        var show = new Command("show", "Show a run's results table.");
        show.Arguments.Add(run);
        show.SetAction(parse =>
        {
            var folder = RunFolderReader.Read(parse.GetValue(run)!);
            var rows = folder.Rows;
            if (folder.Manifest is { } manifest)
            {
                var env = manifest.Environment;
                AnsiConsole.MarkupLine($"[bold]{Markup.Escape(manifest.RunName)}[/] {manifest.StartedUtc:u} → {manifest.FinishedUtc:u}; " +
                                       Markup.Escape($"ProbeBench {env.ProbeBenchVersion} {env.GitCommit}; {env.Cpu} × {env.CpuCount}{(env.Gpu is null ? "" : $", {env.Gpu}")}; TorchSharp {env.TorchSharpVersion}"));
            }
            if (!folder.Complete) AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(folder.Folder)} has no completion marker; it may be incomplete.[/]");
            ResultsTable.Print(rows);
            var speed = rows.Where(r => r.Kind != "accuracy").ToList();
            if (speed.Count > 0)
            {
                var table = new Table().Title("Speed").AddColumns("kind", "model", "dataset/split", "batch", "img/s", "p50 ms", "batch-1 ms");
                foreach (var r in speed)
                    table.AddRow(r.Kind, Markup.Escape(r.Model), Markup.Escape($"{r.Dataset}/{r.HyperParameter}"), $"{r.BatchSize}", $"{r.ImagesPerSecond:N1}", $"{r.LatencyP50Ms:N1}", $"{r.Batch1LatencyMs:N2}");
                AnsiConsole.Write(table);
            }
            return 0;
        });

        var command = new Command("results", "Past runs: list them, show one.");
        command.Subcommands.Add(list);
        command.Subcommands.Add(show);
        return command;
    }
}
