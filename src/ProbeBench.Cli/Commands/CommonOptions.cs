using System.CommandLine;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Preprocessing;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Cli.Commands;

/// <summary>Options that <c>extract</c> and <c>run</c> share, with one definition each.</summary>
internal sealed class CommonOptions
{
    public Option<string?> Model { get; } = new("--model") { Description = "Backbone: an official name (dinov2_vits14, dinov2_vitb14_reg, ...) or a name for --weights." };
    public Option<string?> Weights { get; } = new("--weights") { Description = "Checkpoint file (.pth or .safetensors) or transformers folder to use instead of downloading; \"random\" for seeded random weights (speed only)." };
    public Option<string?> ModelConfig { get; } = new("--model-config") { Description = "transformers config.json for a custom-size checkpoint." };
    public Option<string?> Dataset { get; } = new("--dataset") { Description = "Dataset: cifar10, cifar100, cifar100-coarse, stl10, or imagefolder (with --dataset-path)." };
    public Option<string?> DatasetPath { get; } = new("--dataset-path") { Description = "Folder of the dataset, when not under --data-root." };
    public Option<string?> DataRoot { get; } = new("--data-root") { Description = "Where datasets are downloaded and read (default: <cache>/data)." };
    public Option<string?> CacheRoot { get; } = new("--cache-root") { Description = $"Feature and weights cache root (default: ${CacheDirectories.EnvironmentVariable} or ~/.cache/probebench)." };
    public Option<string?> Layers { get; } = new("--layers") { Description = $"Comma list of layer choices: {LayerChoiceParser.Help}." };
    public Option<string?> Recipe { get; } = new("--recipe") { Description = $"Preprocessing: {PreprocessRecipes.Help}." };
    public Option<int?> BatchSize { get; } = new("--batch-size") { Description = "Images per forward pass (default 64)." };
    public Option<string?> Device { get; } = new("--device") { Description = "cpu, cuda or cuda:N (CUDA needs PROBEBENCH_LIBTORCH)." };
    public Option<string?> Precision { get; } = new("--precision") { Description = "fp32, fp16 or bf16." };
    public Option<int?> Seed { get; } = new("--seed") { Description = "Seed for subsets, splits and heads (default 0)." };

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
