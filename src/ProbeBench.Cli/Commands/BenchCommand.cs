using System.CommandLine;
using System.Text.Json;
using ProbeBench.Core;
using ProbeBench.Core.Evaluation;
using Spectre.Console;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench bench</c>: backbone speed per model size, batch size, precision and resolution (random weights).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var models = new Option<string>("--models") { Description = $"Comma list of models: official names or short forms ({ProbeBench.Core.Models.BackboneFamilies.KnownNames}).", DefaultValueFactory = _ => "s" };
        var batches = new Option<string>("--batch-sizes") { Description = "Comma list of batch sizes.", DefaultValueFactory = _ => "8" };
        var precisions = new Option<string>("--precision") { Description = "Comma list of fp32, fp16, bf16.", DefaultValueFactory = _ => "fp32" };
        var resolutions = new Option<string>("--resolution") { Description = "Comma list of square input sizes (multiples of 14).", DefaultValueFactory = _ => "224" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var blocks = new Option<string>("--blocks") { Description = "Blocks each forward returns, as a layer choice (cls@last4, every-block, ...).", DefaultValueFactory = _ => "cls@last4" };
        var warmup = new Option<int>("--warmup") { Description = "Untimed batches first.", DefaultValueFactory = _ => 3 };
        var repeats = new Option<int>("--repeats") { Description = "Timed batches (median and spread reported).", DefaultValueFactory = _ => 10 };
        var batch1 = new Option<int>("--batch1-repeats") { Description = "Timed single-image forwards for latency (0 skips).", DefaultValueFactory = _ => 20 };
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON to this file." };
        var output = new Option<string?>("--out") { Description = "Also write a run folder (results.csv, report, figures) under this results root, for probebench compare." };
        var name = new Option<string?>("--name") { Description = "Run folder name with --out (default: bench-<time>)." };

        var command = new Command("bench", "Measure backbone speed (img/s, latency) with random weights: no download, no data.");
        foreach (var o in new Option[] { models, batches, precisions, resolutions, device, blocks, warmup, repeats, batch1, json, output, name })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            var options = new BenchOptions(
                Split(parse.GetValue(models)!),
                Split(parse.GetValue(batches)!).Select(b => ParseInt(b, "--batch-sizes")).ToList(),
                Split(parse.GetValue(precisions)!),
                Split(parse.GetValue(resolutions)!).Select(r => ParseInt(r, "--resolution")).ToList(),
                parse.GetValue(device)!,
                parse.GetValue(blocks)!,
                parse.GetValue(warmup),
                parse.GetValue(repeats),
                parse.GetValue(batch1));

            var table = new Table().AddColumns("model", "precision", "res", "batch", "img/s (median)", "min..max", "TFLOP/s", "batch-1 p50 ms", "p95 ms");
            var results = new List<BenchResult>();
            var started = DateTimeOffset.UtcNow;
            AnsiConsole.Status().Start("warming up", status =>
            {
                foreach (var r in BackboneBench.Run(options, new Progress<string>(s => status.Status(Markup.Escape(s)))))
                {
                    results.Add(r);
                    table.AddRow(r.Model, r.Precision, r.Resolution.ToString(), r.BatchSize.ToString(),
                        r.MedianImagesPerSecond.ToString("N1"), $"{r.MinImagesPerSecond:N1}..{r.MaxImagesPerSecond:N1}",
                        r.TflopsPerSecond.ToString("N3"), r.Batch1LatencyP50Ms?.ToString("N2") ?? "-", r.Batch1LatencyP95Ms?.ToString("N2") ?? "-");
                }
            });
            AnsiConsole.Write(table);
            if (parse.GetValue(json) is { } path)
                Core.IO.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
            if (parse.GetValue(output) is { } root)
            {
                var folder = BenchRunFolder.Write(options, results, root, parse.GetValue(name), started);
                AnsiConsole.MarkupLine($"[green]results:[/] {Markup.Escape(folder)}");
            }
            return 0;
        });
        return command;
    }

    private static List<string> Split(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static int ParseInt(string text, string option)
    {
        if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
            throw new Core.ProbeBenchException($"{option}: '{text}' is not an integer.");
        // The batch size has one rule wherever it is given.
        if (option == "--batch-sizes" && Core.Evaluation.RunPlanRules.Check("batchSize", value) is { } problem)
            throw new Core.ProbeBenchException($"{option}: {problem}.");
        return value > 0 ? value : throw new Core.ProbeBenchException($"{option}: expected a positive integer, got {value}.");
    }
}
