using ProbeBench.Core.IO;
using ProbeBench.Core.Weights;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models;

/// <summary>A backbone built from a checkpoint, with where it came from and the family that read it.</summary>
public sealed record LoadedCheckpoint(IBackboneModel Model, IBackboneFamily Family, CheckpointInfo Info) : IDisposable
{
    public IBackboneConfig Config => Model.Config;

    public void Dispose() => Model.Dispose();
}

/// <summary>Reads checkpoints of any known family: official keys, the config they need, the built model.</summary>
public static class BackboneCheckpoints
{
    /// <summary>
    /// A checkpoint file or transformers folder as a state dict with the official keys of the family that recognises it.
    /// A file named like an official checkpoint must be that file: its digest is checked against what the catalog pins.
    /// </summary>
    public static StateDict Read(string path)
    {
        var state = CheckpointLoader.Load(path, BackboneFamilies.KeyLayouts);
        try
        {
            OfficialFileNamed(Path.GetFileName(state.Info.Path))?.Verify(state.Info.Path, state.Info.Sha256);
            return state;
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    /// <summary>The official checkpoint of any family published under <paramref name="fileName"/>, or null.</summary>
    public static OfficialCheckpoint? OfficialFileNamed(string fileName) =>
        BackboneFamilies.Variants.Select(v => v.Checkpoint).FirstOrDefault(c => c.FileName == fileName);

    /// <summary>
    /// The config of a loaded state dict: an explicit config file, else the checkpoint's own config.json (transformers
    /// folders), else what its shapes say (a published variant, or an error asking for a config).
    /// </summary>
    public static IBackboneConfig ResolveConfig(StateDict state, IBackboneFamily family, string? configPath = null)
    {
        var path = configPath ?? state.Info.ConfigPath;
        return path is null ? family.ConfigFromShapes(Shapes(state), state.Info.Path) : ReadConfigOf(family, path, state.Info.Path);
    }

    private static IBackboneConfig ReadConfigOf(IBackboneFamily family, string configPath, string weights)
    {
        var config = BackboneFamilies.ReadConfig(configPath);
        return config.Family == family.Name
            ? config
            : throw new ProbeBenchException($"The model config {configPath} describes a {config.Family} model but {weights} holds {family.Title} weights.");
    }

    /// <summary>Reads the checkpoint once, resolves its config (<paramref name="configPath"/> overrides) and builds the model strictly.</summary>
    public static LoadedCheckpoint Load(string path, ScalarType? dtype = null, Device? device = null, string? configPath = null)
    {
        CheckShapesBeforeReading(path, configPath);
        using var state = Read(path);
        var family = BackboneFamilies.Recognize(state.Keys.ToList(), path);
        var config = ResolveConfig(state, family, configPath);
        return new LoadedCheckpoint(family.Build(config, state, path, dtype, device), family, state.Info);
    }

    /// <summary>
    /// The config <see cref="Load"/> would build <paramref name="path"/> with, read as cheaply as the file allows: the
    /// explicit config, else the shapes from the pickle or safetensors header (no tensor is read); folders and
    /// foreign-layout files are read in full.
    /// </summary>
    public static IBackboneConfig Describe(string path, string? configPath = null)
    {
        InputFiles.Check(path, "The checkpoint", folderAllowed: true);
        if (CheckpointLoader.TryReadShapes(path, BackboneFamilies.KeyLayouts) is { } shapes)
        {
            var family = BackboneFamilies.Recognize(shapes.Keys.ToList(), path);
            return configPath is null ? family.ConfigFromShapes(shapes, path) : ReadConfigOf(family, configPath, path);
        }
        using var state = Read(path);
        return ResolveConfig(state, BackboneFamilies.Recognize(state.Keys.ToList(), path), configPath);
    }

    /// <summary>
    /// Where the file's shapes can be read without its tensors (official-layout pickles and safetensors headers), they
    /// must be exactly the architecture's before anything is read: a file cannot make ProbeBench allocate or inflate more
    /// than the model it describes needs (the build checks the same again on the tensors themselves).
    /// </summary>
    private static void CheckShapesBeforeReading(string path, string? configPath)
    {
        InputFiles.Check(path, "The checkpoint", folderAllowed: true);
        if (CheckpointLoader.TryReadShapes(path, BackboneFamilies.KeyLayouts) is not { } shapes) return;
        var family = BackboneFamilies.Recognize(shapes.Keys.ToList(), path);
        var config = configPath is null ? family.ConfigFromShapes(shapes, path) : ReadConfigOf(family, configPath, path);
        StrictStateDictCheck.Verify(family.ExpectedShapes(config), shapes, path);
    }

    /// <summary>Key → shape of a state dict.</summary>
    public static IReadOnlyDictionary<string, long[]> Shapes(IReadOnlyDictionary<string, Tensor> stateDict) =>
        stateDict.ToDictionary(kv => kv.Key, kv => kv.Value.shape, StringComparer.Ordinal);

    /// <summary>
    /// An existing file or folder is used as it is; an official name (e.g. <c>dinov2_vitb14</c>, or a short form) resolves to its
    /// cached download; anything else is an error naming the argument and the known names.
    /// </summary>
    public static Task<string> ResolveAsync(string nameOrPath, CheckpointStore store, IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (File.Exists(nameOrPath) || Directory.Exists(nameOrPath)) return Task.FromResult(Path.GetFullPath(nameOrPath));
        if (BackboneFamilies.FindVariant(nameOrPath) is { } variant) return store.ResolveAsync(variant.Checkpoint, progress, cancellationToken);
        throw new ProbeBenchException($"The checkpoint '{nameOrPath}' is neither an existing file or folder nor an official name ({BackboneFamilies.KnownNames}).");
    }
}
