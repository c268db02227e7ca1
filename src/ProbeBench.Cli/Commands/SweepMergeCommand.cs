using System.CommandLine;
using ProbeBench.Core.Evaluation.Sweeps;
using Spectre.Console;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench sweep merge DIR</c>: one run folder from every unit's record.</summary>
internal static class SweepMergeCommand
{
    public static Command Create()
    {
        var folder = SweepCommand.FolderArgument();
        var output = new Option<string?>("--out") { Description = "Results root (default: the plan's out)." };
        var name = new Option<string?>("--name") { Description = "Run folder name (default sweep-<folder name>)." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an earlier run folder of the same name." };
        var format = TableOutput.FormatOption();
        var allSettings = TableOutput.AllSettingsOption();
        var command = new Command("merge", "Assemble one run folder (results, report, figures) from a finished sweep; its manifest lists every unit with host, device and times.");
        command.Arguments.Add(folder);
        foreach (var o in new Option[] { output, name, overwrite, format, allSettings }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var sweep = SweepFolder.Open(parse.GetValue(folder)!);
            var outcome = SweepMerger.Merge(sweep, parse.GetValue(output), parse.GetValue(name), parse.GetValue(overwrite));
            ResultsTable.Print(outcome.Rows, parse.GetValue(format)!, parse.GetValue(allSettings));
            var hosts = outcome.Manifest.Units.Select(u => $"{u.Host}/{u.Device}").Distinct().ToList();
            AnsiConsole.MarkupLine($"[grey]{outcome.Manifest.Units.Count} units from {hosts.Count} host/device pair(s): {Markup.Escape(string.Join(", ", hosts))}[/]");
            AnsiConsole.MarkupLine($"[green]results:[/] {Markup.Escape(outcome.Folder)}");
            return 0;
        });
        return command;
    }
}
