using System.CommandLine;
using ProbeBench.Core;
using ProbeBench.Core.IO;
using ProbeBench.Core.Results;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench compare</c>: the regression gate. Exit 0 when nothing regressed, 1 on a regression, 2 on bad input.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var baseline = new Argument<string>("baseline") { Description = "Baseline run folder (or a file in it), or BenchmarkDotNet report(s)." };
        var candidate = new Argument<string>("candidate") { Description = "Candidate of the same kind." };
        var accuracy = new Option<double>("--accuracy-drop") { Description = "Top-1 drop in percentage points that is tolerated (default 0: any drop the paired interval is sure of fails).", DefaultValueFactory = _ => 0 };
        var throughput = new Option<double>("--throughput-drop") { Description = "Throughput drop in percent that is tolerated; a bigger one fails only if a Mann–Whitney test is sure of it (default 10).", DefaultValueFactory = _ => 10 };
        var latency = new Option<double>("--latency-increase") { Description = "Latency rise in percent that is tolerated, judged like throughput (default 10).", DefaultValueFactory = _ => 10 };
        var requireSpeed = new Option<bool>("--require-speed") { Description = "Fail when a speed row was not measured (read from the cache, or absent)." };
        var strict = new Option<bool>("--strict") { Description = "Fail on noisy speed changes too (beyond the threshold, but not significant)." };
        var format = new Option<string>("--format") { Description = "What prints: table (boxed in a terminal, Markdown when piped), markdown, json or junit.", DefaultValueFactory = _ => "table" };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the comparison as Markdown (e.g. to $GITHUB_STEP_SUMMARY)." };
        var json = new Option<string?>("--json") { Description = "Also write it as JSON." };
        var junit = new Option<string?>("--junit") { Description = "Also write it as JUnit XML (CI test dashboards)." };
        var command = new Command("compare", "Compare a candidate with a baseline and fail on accuracy, throughput or latency regressions.");
        command.Arguments.Add(baseline);
        command.Arguments.Add(candidate);
        foreach (var o in new Option[] { accuracy, throughput, latency, requireSpeed, strict, format, markdown, json, junit }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var b = parse.GetValue(baseline)!;
            var c = parse.GetValue(candidate)!;
            foreach (var (name, value) in new[] { ("--accuracy-drop", parse.GetValue(accuracy)), ("--throughput-drop", parse.GetValue(throughput)), ("--latency-increase", parse.GetValue(latency)) })
                if (!(value >= 0) || double.IsInfinity(value)) throw new ProbeBenchException($"{name}: expected a number ≥ 0, got {value}.");
            // Claimed first: never the baseline or candidate (or a file inside them), never a folder or device.
            var markdownPath = parse.GetValue(markdown) is { } m ? OutputFile.Claim(m, "--markdown", [b, c]) : null;
            var jsonPath = parse.GetValue(json) is { } j ? OutputFile.Claim(j, "--json", [b, c]) : null;
            var junitPath = parse.GetValue(junit) is { } x ? OutputFile.Claim(x, "--junit", [b, c]) : null;
            var options = new CompareOptions(parse.GetValue(accuracy), parse.GetValue(throughput), parse.GetValue(latency), parse.GetValue(requireSpeed), parse.GetValue(strict));
            var comparison = CompareRunner.Compare(b, c, options);

            switch (parse.GetValue(format)!.Trim().ToLowerInvariant())
            {
                case "json":
                    Console.Out.WriteLine(CompareReport.Json(comparison, b, c));
                    break;
                case "junit":
                    Console.Out.WriteLine(CompareReport.JUnit(comparison, b, c));
                    break;
                case "markdown":
                    Console.Out.Write(CompareReport.Markdown(comparison, b, c));
                    break;
                case "table":
                    foreach (var w in comparison.Warnings) Console.Out.WriteLine($"warning: {w}");
                    TableOutput.Write(CompareReport.Table(comparison, everything: false), "auto");
                    Console.Out.WriteLine(CompareReport.Summary(comparison));
                    break;
                case var other:
                    throw new ProbeBenchException($"--format: '{other}' is not one of table, markdown, json, junit.");
            }
            if (markdownPath is not null) OutputFile.WriteAllText(markdownPath, CompareReport.Markdown(comparison, b, c), "--markdown");
            if (jsonPath is not null) OutputFile.WriteAllText(jsonPath, CompareReport.Json(comparison, b, c), "--json");
            if (junitPath is not null) OutputFile.WriteAllText(junitPath, CompareReport.JUnit(comparison, b, c), "--junit");
            return comparison.Regressed ? 1 : 0;
        });
        return command;
    }
}
