using ProbeBench.Core.Extraction;
using ProbeBench.Core.IO;
using ProbeBench.Core.Models;
using ProbeBench.Core.Runtime;
using ProbeBench.Core.Weights;

namespace ProbeBench.Core.Evaluation;

/// <summary>
/// Resolves a <see cref="ModelSpec"/> to a loaded backbone: an official name is downloaded once into the
/// checkpoint store; a spec with weights reads that file or folder. The configuration comes from the spec's
/// config.json, else a transformers folder's own config.json, else the official variant the weights match.
/// </summary>
public static class BackboneLoader
{
    /// <summary>The --weights value that builds the architecture with seeded random weights (speed runs, no download).</summary>
    public const string RandomWeights = "random";

    public static async Task<LoadedBackbone> LoadAsync(ModelSpec spec, string precision, string device, CheckpointStore store,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancellation = default)
    {
        var dtype = PrecisionNames.ToScalarType(precision);
        var target = TorchRuntime.ResolveDevice(device);
        if (string.Equals(spec.Weights, RandomWeights, StringComparison.OrdinalIgnoreCase))
            return LoadRandom(spec, precision, dtype, target);
        string path;
        if (spec.Weights is not null)
            path = spec.Weights;
        else if (OfficialCheckpoints.TryGet(spec.Name, out var official))
            path = await store.ResolveAsync(official, progress, cancellation);
        else
            throw new ProbeBenchException(
                $"Unknown model '{spec.Name}'; use one of {string.Join(", ", DinoV2Variants.All.Select(v => v.Name))}, or give --weights (and --model-config for a custom size).");

        var loaded = DinoV2Checkpoint.Load(path, dtype, target, spec.Config);
        loaded.Model.eval();
        return new LoadedBackbone(spec.Name, loaded.Config, loaded.Model, loaded.Checkpoint.Sha256, Path.GetFullPath(path), precision);
    }

    private static LoadedBackbone LoadRandom(ModelSpec spec, string precision, TorchSharp.torch.ScalarType dtype, TorchSharp.torch.Device device)
    {
        var config = spec.Config is not null ? HfDinov2ConfigReader.Read(spec.Config) : DinoV2Variants.Get(spec.Name).Config;
        const long seed = 0;
        var weights = DinoV2RandomWeights.Create(config, seed);
        try
        {
            var model = DinoV2Backbone.Load(config, weights, $"random {spec.Name}", dtype, device);
            model.eval();
            return new LoadedBackbone(spec.Name, config, model, $"random-seed{seed}", null, precision);
        }
        finally
        {
            foreach (var w in weights.Values) w.Dispose();
        }
    }
}
