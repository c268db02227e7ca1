using System.CommandLine;
using System.Text.Json;
using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Core.IO;
using Spectre.Console;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench extract</c>: fill the feature cache for one backbone and dataset, and report the extraction's figures.</summary>
internal static class ExtractCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var splits = new Option<string>("--splits") { Description = "Comma list of splits.", DefaultValueFactory = _ => "train,test" };
        var limitTrain = PlanFlags.LimitTrain();
        var limitTest = PlanFlags.LimitTest();
        var storage = new Option<string>("--storage") { Description = "How features are stored: fp16 (default) or fp32.", DefaultValueFactory = _ => "fp16" };
        var json = new Option<string?>("--json") { Description = "Also write the figures as JSON to this file." };
        var command = new Command("extract", "Extract features for layer choices into the feature cache (one pass per split) and report speed and memory.");
        foreach (var o in common.All.Append(splits).Append(limitTrain).Append(limitTest).Append(storage).Append(json)) command.Options.Add(o);
        command.SetAction(async (parse, cancellation) =>
        {
            var request = new ExtractRequest(
                new ModelSpec(parse.GetValue(common.Model) ?? "dinov2_vits14", parse.GetValue(common.Weights), parse.GetValue(common.ModelConfig)),
                new DatasetSpec(parse.GetValue(common.Dataset) ?? "cifar10", parse.GetValue(common.DatasetPath)),
                CommonOptions.SplitList(parse.GetValue(splits)!),
                CommonOptions.SplitList(parse.GetValue(common.Layers) ?? "cls@last"),
                parse.GetValue(common.Recipe),
                BatchSize: parse.GetValue(common.BatchSize) ?? 64,
                Device: parse.GetValue(common.Device) ?? "auto",
                Precision: parse.GetValue(common.Precision) ?? "fp32",
                LimitTrain: parse.GetValue(limitTrain),
                LimitTest: parse.GetValue(limitTest),
                Seed: parse.GetValue(common.Seed) ?? 0,
                DataRoot: parse.GetValue(common.DataRoot),
                CacheRoot: parse.GetValue(common.CacheRoot),
                StorageType: parse.GetValue(storage)!);

            // Claimed before the extraction: a bad path, or one that would overwrite the weights or config, costs no work.
            var jsonPath = parse.GetValue(json) is { } j
                ? OutputFile.Claim(j, "--json", [request.Model.Weights, request.Model.Config, request.Dataset.Path])
                : null;
            var results = await ExtractRunner.RunAsync(request, new RunCallbacks(
                Extraction: (title, work) => ExtractionProgressDisplay.Run(title, work),
                Download: new DownloadProgressLines(),
                Log: message => AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(message)}[/]")), cancellation);

            foreach (var split in results) Print(split);
            if (jsonPath is not null)
                OutputFile.WriteAllText(jsonPath, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }), "--json");
            return 0;
        });
        return command;
    }

    private static void Print(UnitRecord split)
    {
        var name = Markup.Escape(split.Split ?? "");
        if (split.Stats is not { } s)
        {
            AnsiConsole.MarkupLine($"[green]{name}[/]: all {split.CacheKeys.Count} layer choices were already cached ({split.SplitRows} rows).");
            return;
        }
        var table = new Table().Title($"{name}: {s.Images} images").AddColumns("figure", "value");
        table.AddRow("end-to-end img/s", s.EndToEndImagesPerSecond.ToString("N1"));
        table.AddRow("backbone-only img/s", s.BackboneImagesPerSecond.ToString("N1"));
        table.AddRow("batch latency p50 / p95 / p99 ms", $"{s.BatchLatencyP50Ms:N1} / {s.BatchLatencyP95Ms:N1} / {s.BatchLatencyP99Ms:N1}");
        table.AddRow("batch-1 latency ms", s.Batch1LatencyMs?.ToString("N1") ?? "-");
        table.AddRow("time: decode / transfer+preprocess / compute / cache write / waiting for data s",
            $"{s.DecodeSeconds:N2} / {s.TransferSeconds:N2} / {s.ComputeSeconds:N2} / {s.CacheWriteSeconds:N2} / {s.WaitForDataSeconds:N2}");
        table.AddRow("pipeline", Markup.Escape(s.Pipeline));
        table.AddRow("peak process memory", $"{s.PeakProcessMemoryBytes / (1024.0 * 1024):N0} MiB");
        if (s.PeakDeviceMemoryBytes is { } device) table.AddRow("peak device memory in use", $"{device / (1024.0 * 1024):N0} MiB");
        if (s.ResumedFromRow > 0) table.AddRow("resumed from row", s.ResumedFromRow.ToString());
        if (split.Rebuilt.Count > 0) table.AddRow("rebuilt (corrupt cache)", string.Join(", ", split.Rebuilt));
        AnsiConsole.Write(table);
    }
}
