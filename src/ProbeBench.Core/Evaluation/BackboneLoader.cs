using ProbeBench.Core.IO;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Models;
using ProbeBench.Core.Runtime;
using ProbeBench.Core.Weights;

namespace ProbeBench.Core.Evaluation;

/// <summary>
/// Resolves a <see cref="ModelSpec"/> to a loaded backbone: an official (or short) name is downloaded once into the
/// checkpoint store; a spec with weights reads that file or folder. The configuration comes from the spec's config file,
/// else a transformers folder's own config.json, else the published variant the weights match.
/// </summary>
public static class BackboneLoader
{
    /// <summary>The --weights value that builds the architecture with seeded random weights (speed runs, no download).</summary>
    public const string RandomWeights = "random";

    /// <summary>The seed of <see cref="RandomWeights"/> backbones.</summary>
    public const long RandomSeed = 0;

    public static bool IsRandom(ModelSpec spec) => string.Equals(spec.Weights, RandomWeights, StringComparison.OrdinalIgnoreCase);

    public static async Task<LoadedBackbone> LoadAsync(ModelSpec spec, string precision, string device, CheckpointStore store,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancellation = default)
    {
        var dtype = PrecisionNames.ToScalarType(precision);
        var target = TorchRuntime.ResolveDevice(device);
        if (IsRandom(spec))
        {
            var config = RandomConfig(spec);
            var model = BackboneFamilies.BuildRandom(config, RandomSeed, dtype, target, $"random {spec.Name}");
            return new LoadedBackbone(spec.Name, model, $"random-seed{RandomSeed}", null, precision);
        }
        var path = spec.Weights ?? await store.ResolveAsync(OfficialVariant(spec).Checkpoint, progress, cancellation);

        var loaded = BackboneCheckpoints.Load(path, dtype, target, spec.Config);
        return new LoadedBackbone(spec.Name, loaded.Model, loaded.Info.Sha256, Path.GetFullPath(path), precision);
    }

    /// <summary>
    /// The architecture a spec will load as, without downloading or (where the file allows) reading tensors: plans are
    /// expanded into work units with it (layer choices such as every-block depend on the depth).
    /// </summary>
    public static IBackboneConfig Describe(ModelSpec spec)
    {
        if (IsRandom(spec)) return RandomConfig(spec);
        if (spec.Weights is not null) return BackboneCheckpoints.Describe(spec.Weights, spec.Config);
        var variant = OfficialVariant(spec);
        return spec.Config is not null ? BackboneFamilies.ReadConfig(spec.Config) : variant.Config;
    }

    private static IBackboneVariant OfficialVariant(ModelSpec spec) =>
        BackboneFamilies.FindVariant(spec.Name)
        ?? throw new ProbeBenchException($"Unknown model '{spec.Name}'; use one of {BackboneFamilies.KnownNames}, or give --weights (and --model-config for a custom size).");

    /// <summary>The architecture of a random-weights spec: its config file, else the published variant its name stands for.</summary>
    public static IBackboneConfig RandomConfig(ModelSpec spec) =>
        spec.Config is not null ? BackboneFamilies.ReadConfig(spec.Config) : BackboneFamilies.GetVariant(spec.Name).Config;
}
