using System.CommandLine;
using System.Text.Json;
using ProbeBench.Core;
using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Results;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench bench</c>: backbone speed per model size, batch size, precision and resolution (random weights).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var models = new Option<string>("--model", "--models") { Description = $"Comma list of models: official names or short forms ({ProbeBench.Core.Models.BackboneFamilies.KnownNames}).", DefaultValueFactory = _ => "s" };
        var batches = new Option<string>("--batch-sizes") { Description = "Comma list of batch sizes.", DefaultValueFactory = _ => "8" };
        var precisions = new Option<string>("--precision") { Description = "Comma list of fp32, fp16, bf16.", DefaultValueFactory = _ => "fp32" };
        var resolutions = new Option<string>("--resolution") { Description = "Comma list of square input sizes (multiples of the patch size: 14 for DINOv2, 16 for DINOv3).", DefaultValueFactory = _ => "224" };
        var device = new Option<string>("--device") { Description = "auto (cuda when a CUDA libtorch loads, else cpu), cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
        var blocks = new Option<string>("--blocks") { Description = "Blocks each forward returns, as a layer choice (cls@last4, every-block, ...).", DefaultValueFactory = _ => "cls@last4" };
        var warmup = new Option<int>("--warmup") { Description = "Untimed batches first.", DefaultValueFactory = _ => 3 };
        var repeats = new Option<int>("--repeats") { Description = "Timed batches (median and spread reported).", DefaultValueFactory = _ => 10 };
        var batch1 = new Option<int>("--batch1-repeats") { Description = "Timed single-image forwards for latency (0 skips).", DefaultValueFactory = _ => 20 };
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON to this file." };
        var output = new Option<string?>("--out") { Description = "Also write a run folder (speed.csv, report, figures) under this results root, for probebench compare." };
        var name = new Option<string?>("--name") { Description = "Run folder name with --out, one folder name (default: bench-<time>)." };
        var overwrite = new Option<bool>("--overwrite") { Description = "With --out: replace an earlier run folder of the same name (once the new grid is complete)." };
        var format = TableOutput.FormatOption();

        var command = new Command("bench", "Measure backbone speed (img/s, latency) with random weights: no download, no data.");
        foreach (var o in new Option[] { models, batches, precisions, resolutions, device, blocks, warmup, repeats, batch1, json, output, name, overwrite, format })
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

            // Every output is claimed before the first measurement: a bad path or a taken name costs no work.
            var jsonPath = parse.GetValue(json) is { } j ? Core.IO.OutputFile.Claim(j, "--json") : null;
            if (parse.GetValue(output) is null && (parse.GetValue(name) is not null || parse.GetValue(overwrite)))
                throw new Core.ProbeBenchException("--name and --overwrite name the run folder that --out writes; give --out too.");
            var started = DateTimeOffset.UtcNow;
            var folder = parse.GetValue(output) is { } root ? BenchRunFolder.Begin(root, parse.GetValue(name), started, parse.GetValue(overwrite)) : null;
            var results = new List<BenchResult>();
            try
            {
                var progress = new Progress<string>(status => Console.Error.WriteLine($"» {status}"));
                foreach (var r in BackboneBench.Run(options, progress)) results.Add(r);
                TableOutput.Write(ResultTables.Bench(results.Select(r => r.ToRow()).ToList()), parse.GetValue(format)!);
                if (jsonPath is not null)
                    Core.IO.OutputFile.WriteAllText(jsonPath, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }), "--json");
                if (folder is not null) Console.Out.WriteLine($"results: {folder.Complete(options, results)}");
            }
            catch
            {
                folder?.Abandon();
                throw;
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
