using System.CommandLine;
using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Models;
using ProbeBench.Core.Preprocessing;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Cli.Commands;

/// <summary>Options that <c>extract</c> and <c>run</c> share, with one definition each; defaults shown are the plan's own.</summary>
internal sealed class CommonOptions
{
    private static readonly RunPlan Defaults = new();

    public Option<string?> Model { get; } = new("--model") { Description = $"Backbone(s), comma-separated: official or short names ({BackboneFamilies.KnownNames}), or a name for --weights (default {Defaults.Models[0].Name})." };
    public Option<string?> Weights { get; } = new("--weights") { Description = "Checkpoint file (.pth or .safetensors) or transformers folder to use instead of downloading; \"random\" for seeded random weights (speed only)." };
    public Option<string?> ModelConfig { get; } = new("--model-config") { Description = "A config file for a custom-size checkpoint: a transformers config.json (DINOv2), or a DINOv3 config (\"model_type\": \"dinov3\" with the official keyword arguments)." };
    public Option<string?> Dataset { get; } = new("--dataset") { Description = $"Dataset(s), comma-separated: catalog names (probebench datasets list), or a folder of class folders (an image folder) (default {Defaults.Datasets[0].Name})." };
    public Option<string?> DatasetPath { get; } = new("--dataset-path") { Description = "Folder of the dataset, when not under --data-root." };
    public Option<string?> DataRoot { get; } = new("--data-root") { Description = "Where datasets are downloaded and read (default: <cache root>/data)." };
    public Option<string?> CacheRoot { get; } = new("--cache-root") { Description = $"Feature and weights cache root (default: ${CacheDirectories.EnvironmentVariable} or ~/.cache/probebench)." };
    public Option<string?> Layers { get; } = new("--layers") { Description = $"Comma list of layer choices (default {string.Join(",", Defaults.Layers)}): {LayerChoiceParser.Help}; a block list keeps its commas (patch@3,6,9)." };
    public Option<string?> Recipe { get; } = new("--recipe") { Description = $"Preprocessing (default: dinov3-eval for DINOv3 (dinov3-sat-eval for its satellite weights); for DINOv2 resize-224 on 32- and 96-pixel datasets, else dinov2-eval): {PreprocessRecipes.Help}." };
    public Option<int?> BatchSize { get; } = new("--batch-size") { Description = $"Images per forward pass (default {Defaults.BatchSize})." };
    public Option<string?> Device { get; } = new("--device") { Description = $"auto, cpu, cuda or cuda:N (default {Defaults.Device}: cuda when a CUDA libtorch loads, else cpu; CUDA needs PROBEBENCH_LIBTORCH)." };
    public Option<string?> Precision { get; } = new("--precision") { Description = $"Backbone precision: fp32, fp16 or bf16 (default {Defaults.Precision})." };
    public Option<int?> Seed { get; } = new("--seed") { Description = $"Seed for subsets, splits, heads and the bootstrap (default {Defaults.Seed})." };

    public IEnumerable<Option> All => [Model, Weights, ModelConfig, Dataset, DatasetPath, DataRoot, CacheRoot, Layers, Recipe, BatchSize, Device, Precision, Seed];

    public static List<string> SplitList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>
    /// Layer choices from a comma list, where a block list keeps its commas: <c>cls@last,patch@3,6,9</c> is
    /// [cls@last, patch@3,6,9] (an item that is only a block index continues the choice before it).
    /// </summary>
    public static List<string> SplitLayers(string text)
    {
        var choices = new List<string>();
        foreach (var part in SplitList(text))
        {
            if (choices.Count > 0 && int.TryParse(part, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _)
                && choices[^1].Contains('@'))
                choices[^1] += "," + part;
            else choices.Add(part);
        }
        return choices;
    }

    public static List<int> SplitIntegers(string text, string option) =>
        SplitList(text).Select(v => int.TryParse(v, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new Core.ProbeBenchException($"{option}: '{v}' is not an integer.")).ToList();
}
