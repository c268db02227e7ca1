using System.CommandLine;
using ProbeBench.Core.IO;
using ProbeBench.Core.Results;
using Spectre.Console;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench compare</c>: the regression gate. Exit 0 when nothing regressed, 1 on a regression, 2 on bad input.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var baseline = new Argument<string>("baseline") { Description = "Baseline run folder, results.csv, or BenchmarkDotNet report(s)." };
        var candidate = new Argument<string>("candidate") { Description = "Candidate of the same kind." };
        var accuracy = new Option<double?>("--accuracy-drop") { Description = "Allowed top-1 drop in percentage points (default: the combined bootstrap CI half-widths)." };
        var throughput = new Option<double>("--throughput-drop") { Description = "Allowed throughput drop in percent (only beyond the measured spread counts).", DefaultValueFactory = _ => 10 };
        var latency = new Option<double>("--latency-increase") { Description = "Allowed latency/time increase in percent (only beyond the measured spread counts).", DefaultValueFactory = _ => 20 };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the comparison as Markdown to this file (for CI logs)." };
        var command = new Command("compare", "Compare a candidate with a baseline and fail on accuracy, throughput or latency regressions.");
        command.Arguments.Add(baseline);
        command.Arguments.Add(candidate);
        foreach (var o in new Option[] { accuracy, throughput, latency, markdown }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var b = parse.GetValue(baseline)!;
            var c = parse.GetValue(candidate)!;
            // Claimed first: never the baseline or candidate (or a file inside them), never a folder or device.
            var markdownPath = parse.GetValue(markdown) is { } m ? OutputFile.Claim(m, "--markdown", [b, c]) : null;
            var comparison = CompareRunner.Compare(b, c, new CompareOptions(parse.GetValue(accuracy), parse.GetValue(throughput), parse.GetValue(latency)));

            var table = new Table().AddColumns("row", "metric", "baseline", "candidate", "change", "allowed", "verdict");
            // Unchanged accuracies would drown the table; the Markdown file keeps every row.
            foreach (var change in comparison.Changes.Where(ch => ch.Regressed || ch.Delta != "0.00 pp").OrderByDescending(ch => ch.Regressed))
                table.AddRow(Markup.Escape(change.Row), Markup.Escape(change.Metric), ResultsComparer.Number(change.Baseline), ResultsComparer.Number(change.Candidate),
                    Markup.Escape(change.Delta), Markup.Escape(change.Allowed), change.Regressed ? "[red]regressed[/]" : "[green]ok[/]");
            foreach (var row in comparison.MissingInCandidate) table.AddRow(Markup.Escape(row), "(row)", "present", "[red]missing[/]", "", "", "[red]regressed[/]");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{comparison.Changes.Count} measurements compared, {comparison.NewInCandidate.Count} new rows; " +
                                   (comparison.Regressed ? "[red]REGRESSION[/]" : "[green]no regression[/]"));
            if (markdownPath is not null)
                OutputFile.WriteAllText(markdownPath, ResultsComparer.ToMarkdown(comparison, b, c), "--markdown");
            return comparison.Regressed ? 1 : 0;
        });
        return command;
    }
}
