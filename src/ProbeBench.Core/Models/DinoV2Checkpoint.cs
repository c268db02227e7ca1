using ProbeBench.Core.Weights;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models;

/// <summary>A backbone together with the checkpoint it came from (path, format, sha256) and the config it was built with.</summary>
public sealed record LoadedDinoV2(DinoV2Backbone Model, CheckpointInfo Checkpoint) : IDisposable
{
    public DinoV2Config Config => Model.Config;

    public void Dispose() => Model.Dispose();
}

/// <summary>Loads a DINOv2 checkpoint file or transformers folder into a <see cref="DinoV2Backbone"/>.</summary>
public static class DinoV2Checkpoint
{
    /// <summary>
    /// The config for a loaded state dict: an explicit one, else the checkpoint's config.json (transformers
    /// folders), else the official variant its shapes match; anything else is an error asking for a config.
    /// </summary>
    public static DinoV2Config ResolveConfig(StateDict state, string? configPath = null)
    {
        var source = state.Info.Path;
        var path = configPath ?? state.Info.ConfigPath;
        if (path is not null) return HfDinov2ConfigReader.Read(path);
        return DinoV2ArchitectureDetector.Detect(DinoV2Backbone.Shapes(state), source).ToConfig(null, source);
    }

    /// <summary>
    /// Reads the checkpoint (official .pth, safetensors, or a transformers folder), resolves its config
    /// (<paramref name="configPath"/> overrides), and builds the model strictly in <paramref name="dtype"/> on
    /// <paramref name="device"/>. The weights are read once; parameters keep their storage where no conversion is needed.
    /// </summary>
    public static LoadedDinoV2 Load(string path, ScalarType? dtype = null, Device? device = null, string? configPath = null)
    {
        using var state = CheckpointLoader.Load(path);
        var config = ResolveConfig(state, configPath);
        return new LoadedDinoV2(DinoV2Backbone.Load(config, state, path, dtype, device), state.Info);
    }
}
