using System.CommandLine;
using System.Globalization;
using ProbeBench.Core.Results;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench results list|show</c>: past runs under a results root.</summary>
internal static class ResultsCommand
{
    public static Command Create()
    {
        var command = new Command("results", "Past runs: list them (with their layer verdicts), show one.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        var schema = new Command("schema", "Print the columns of accuracy.csv and speed.csv with their meaning (Markdown).");
        schema.SetAction(_ =>
        {
            Console.Out.Write(ResultColumns.Markdown());
            return 0;
        });
        command.Subcommands.Add(schema);
        return command;
    }

    private static Option<string> OutOption() => new("--out") { Description = "Results root the runs are under (default results/runs).", DefaultValueFactory = _ => "results/runs" };

    private static Command List()
    {
        var root = OutOption();
        var format = TableOutput.FormatOption();
        var list = new Command("list", "List past runs: name, time, models, datasets, rows, the layer verdict, status.");
        list.Options.Add(root);
        list.Options.Add(format);
        list.SetAction(parse =>
        {
            var runs = RunFolders.List(parse.GetValue(root)!);
            if (runs.Count == 0)
            {
                Console.Out.WriteLine($"no runs under {parse.GetValue(root)}");
                return 0;
            }
            var table = new TextTable("Runs", ["run", "finished (UTC)", "models", "datasets", "rows", "best top-1 %", "layer verdict", "status"],
                runs.Select(run => (IReadOnlyList<string>)
                [
                    run.Name, run.Manifest?.FinishedUtc.ToString("u", CultureInfo.InvariantCulture) ?? "?", string.Join(", ", run.Models), string.Join(", ", run.Datasets),
                    run.Rows.ToString(CultureInfo.InvariantCulture), ResultTables.Pct(run.BestTop1),
                    string.Join("; ", (run.Verdicts ?? []).Select(v => $"{v.Head}: {v.Best.LayerChoice}{(v.Significant ? " (beats cls@last)" : "")}")),
                    run.Problem ?? (run.Complete ? "complete" : "unfinished"),
                ]).ToList(),
                [false, false, false, false, true, true, false, false]);
            TableOutput.Write(table, parse.GetValue(format)!);
            return 0;
        });
        return list;
    }

    private static Command Show()
    {
        var root = OutOption();
        var format = TableOutput.FormatOption();
        var run = new Argument<string>("run") { Description = "A run's name (under --out), its folder, or a results file in it." };
        var allSettings = TableOutput.AllSettingsOption();
        var show = new Command("show", "Show a run: its layer verdict, accuracy (each head's answers) and speed tables.");
        show.Arguments.Add(run);
        show.Options.Add(root);
        show.Options.Add(format);
        show.Options.Add(allSettings);
        show.SetAction(parse =>
        {
            var folder = RunFolderReader.Read(ResultsSource.RunFolder(parse.GetValue(run)!, parse.GetValue(root)));
            if (folder.Manifest is { } manifest)
            {
                var env = manifest.Environment;
                Console.Out.WriteLine($"{manifest.RunName}: {manifest.StartedUtc:u} → {manifest.FinishedUtc:u}; ProbeBench {env.ProbeBenchVersion} {env.GitCommit}; " +
                                      $"{env.Cpu} × {env.CpuCount}{(env.Gpu is null ? "" : $", {env.Gpu}")}; TorchSharp {env.TorchSharpVersion}");
            }
            if (folder.Unfinished is { } why) Console.Out.WriteLine($"{folder.Folder} {why}; its results may be incomplete.");
            TableOutput.Write(ResultTables.All(folder.Rows, parse.GetValue(allSettings)), parse.GetValue(format)!);
            ResultsTable.Notes(folder.Rows, parse.GetValue(format)!, parse.GetValue(allSettings));
            return 0;
        });
        return show;
    }
}
