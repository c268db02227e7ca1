using ProbeBench.Core.IO;
using ProbeBench.Core.Models.DinoV2;
using ProbeBench.Core.Runtime;
using ProbeBench.Core.Weights;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models;

/// <summary>
/// The backbone families ProbeBench knows (one line each) and the one resolver every command uses: official names and
/// short names to variants, state dicts to the family whose keys they have, configs to their family.
/// </summary>
public static class BackboneFamilies
{
    public static IReadOnlyList<IBackboneFamily> All { get; } =
    [
        DinoV2Family.Instance,
        DinoV3.DinoV3Family.Instance,
    ];

    public static IReadOnlyList<ICheckpointKeyLayout> KeyLayouts { get; } = All.Select(f => f.KeyLayout).ToList();

    public static IEnumerable<IBackboneVariant> Variants => All.SelectMany(f => f.Variants);

    /// <summary>The variant an official or short name stands for, in any family, or null.</summary>
    public static IBackboneVariant? FindVariant(string name) =>
        All.Select(f => f.FindVariant(name)).FirstOrDefault(v => v is not null);

    /// <summary>The variant a name stands for; an error listing the known names (and short forms) otherwise.</summary>
    public static IBackboneVariant GetVariant(string name) =>
        FindVariant(name) ?? throw new ProbeBenchException($"Unknown model '{name}'; use one of {KnownNames}, or give --weights (and --model-config for a custom size).");

    /// <summary>Every official name, then each family's short forms.</summary>
    public static string KnownNames =>
        string.Join(", ", Variants.Select(v => v.Name)) + " (short forms: " + string.Join("; ", All.Select(f => $"{f.Title} {f.ShortNames}")) + ")";

    public static IBackboneFamily Of(IBackboneConfig config) =>
        All.FirstOrDefault(f => f.Name == config.Family) ?? throw new ProbeBenchException($"No backbone family is named '{config.Family}'.");

    /// <summary>The family whose key layout <paramref name="keys"/> are in; an error naming <paramref name="source"/> otherwise.</summary>
    public static IBackboneFamily Recognize(IReadOnlyCollection<string> keys, string source) =>
        All.FirstOrDefault(f => f.KeyLayout.Recognizes(keys))
        ?? throw new ProbeBenchException($"{source} is not a state dict of a known backbone family; expected keys like {string.Join("; ", All.Select(f => f.KeySignature))}.");

    /// <summary>A config file read by whichever family it describes; an error naming the file when none does.</summary>
    public static IBackboneConfig ReadConfig(string path)
    {
        InputFiles.Check(path, "The model config", folderAllowed: true); // a folder: the families say which file they want
        foreach (var family in All)
            if (family.TryReadConfig(path) is { } config) return config;
        throw new ProbeBenchException($"The model config {path} describes no backbone family ProbeBench knows ({string.Join(", ", All.Select(f => f.Title))}).");
    }

    /// <summary>The one builder of seeded random backbones (benchmarks, speed runs, tests): random weights in the official layout, built strictly.</summary>
    public static IBackboneModel BuildRandom(IBackboneConfig config, long seed, ScalarType? dtype = null, Device? device = null, string? source = null)
    {
        var family = Of(config);
        // Random weights are made in float32, then converted: both copies must fit.
        var bytes = family.Parameters(config) * (4.0 + (dtype is null or ScalarType.Float32 ? 0 : 2));
        if (bytes > MemoryBudget.HostBytes())
            throw new ProbeBenchException($"{source ?? "A random backbone"}: its {family.Parameters(config)} parameters need about {MemoryBudget.Format(bytes)}, " +
                                          $"more than the {MemoryBudget.Format(MemoryBudget.HostBytes())} of this machine.");
        var weights = family.RandomWeights(config, seed);
        try
        {
            return family.Build(config, weights, source ?? $"random weights (seed {seed})", dtype, device);
        }
        finally
        {
            foreach (var w in weights.Values) w.Dispose();
        }
    }
}
