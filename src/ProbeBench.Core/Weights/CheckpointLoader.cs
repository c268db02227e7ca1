using System.Buffers.Binary;
using ProbeBench.Core.IO;
using ProbeBench.Core.Models.DinoV2;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Core.Weights;

/// <summary>
/// Loads any checkpoint file ProbeBench understands into a state dict, choosing the reader by content, not by file
/// name: a zip (<c>PK</c>) is a <c>torch.save</c> checkpoint; a file that starts with a plausible safetensors header is
/// safetensors; a folder must hold <c>model.safetensors</c> and <c>config.json</c> (transformers layout). Keys come as
/// stored unless a family's <see cref="ICheckpointKeyLayout"/> is given that recognises them and renames them to its
/// official layout (the models stage passes every family's).
/// </summary>
public static class CheckpointLoader
{
    public const string HfWeightsFile = "model.safetensors";
    public const string HfConfigFile = "config.json";

    public static StateDict Load(string path, IReadOnlyList<ICheckpointKeyLayout>? layouts = null)
    {
        TorchRuntime.EnsureInitialized();
        InputFiles.Check(path, "The checkpoint", folderAllowed: true);
        if (Directory.Exists(path)) return ToOfficial(LoadHfFolder(path), layouts);

        return Detect(path) switch
        {
            CheckpointFormat.TorchZip => ToOfficial(PthCheckpointReader.Read(path), layouts),
            _ => ToOfficial(SafetensorsReader.Read(path, CheckpointFormat.Safetensors, SiblingConfig(path)), layouts),
        };
    }

    /// <summary>
    /// Key → shape of a checkpoint file without reading its tensors (the pickle or the safetensors header), when its keys
    /// are already official: null for folders and for files a layout would rename (the caller then loads it).
    /// </summary>
    public static IReadOnlyDictionary<string, long[]>? TryReadShapes(string path, IReadOnlyList<ICheckpointKeyLayout> layouts)
    {
        if (FileKinds.Of(path) != FileKind.Regular) return null;
        IReadOnlyList<(string Key, long[] Shape)> shapes = Detect(path) == CheckpointFormat.TorchZip
            ? PthCheckpointReader.ReadShapes(path)
            : SafetensorsHeader.Read(path).Entries.Select(e => (e.Name, e.Shape)).ToList();
        var keys = shapes.Select(s => s.Key).ToList();
        if (keys.Distinct(StringComparer.Ordinal).Count() != keys.Count) return null; // the full read names the duplicate
        var layout = layouts.FirstOrDefault(l => l.Recognizes(keys));
        if (layout is not null && !layout.IsOfficial(keys)) return null;
        return shapes.ToDictionary(s => s.Key, s => s.Shape, StringComparer.Ordinal);
    }

    // A config.json beside the weights describes them only when they are in a foreign (transformers) layout that a
    // family renamed; official-layout weights keep their own description (the shapes, or an explicit config).
    private static StateDict ToOfficial(StateDict state, IReadOnlyList<ICheckpointKeyLayout>? layouts)
    {
        var layout = layouts?.FirstOrDefault(l => l.Recognizes(state.Keys.ToList()));
        StateDict official;
        try
        {
            official = layout?.ToOfficial(state) ?? state;
        }
        catch
        {
            state.Dispose();
            throw;
        }
        if (!ReferenceEquals(official, state))
        {
            state.Dispose();
            return official;
        }
        return layout is null || state.Info.ConfigPath is null ? state : state.WithInfo(state.Info with { ConfigPath = null });
    }

    /// <summary>The format of a checkpoint file from its first bytes; an unknown format is an error naming the file.</summary>
    public static CheckpointFormat Detect(string path)
    {
        Span<byte> head = stackalloc byte[9];
        int read;
        try
        {
            using var stream = File.OpenRead(path);
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Could not read the checkpoint {path} ({e.Message}).", inner: e);
        }

        if (read >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] is 3 or 5 && head[3] is 4 or 6)
            return CheckpointFormat.TorchZip;
        if (read >= 9 && head[8] == '{' && BinaryPrimitives.ReadUInt64LittleEndian(head) is > 1 and <= SafetensorsHeader.MaxHeaderBytes)
            return CheckpointFormat.Safetensors;
        if (read >= 2 && head[0] == 0x80 && head[1] <= 5)
            throw new ProbeBenchException($"{path} is a bare pickle (torch's legacy pre-1.6 format), which ProbeBench does not read; re-save it with torch.save from torch 1.6 or later.");
        throw new ProbeBenchException(
            $"{path} is neither a torch.save zip nor a safetensors file (it starts with {Convert.ToHexString(head[..read])}); it may be truncated or in another format.");
    }

    private static StateDict LoadHfFolder(string folder)
    {
        var weights = Path.Combine(folder, HfWeightsFile);
        var config = Path.Combine(folder, HfConfigFile);
        var missing = new[] { weights, config }.Where(p => !File.Exists(p)).Select(Path.GetFileName).ToList();
        if (missing.Count > 0)
            throw new ProbeBenchException($"The checkpoint folder {folder} lacks {string.Join(" and ", missing)} (a transformers folder holds {HfWeightsFile} and {HfConfigFile}).");
        // Present is not readable: a FIFO in either place would block the read forever.
        InputFiles.Check(weights, "The checkpoint");
        InputFiles.Check(config, "The model config");
        return SafetensorsReader.Read(weights, CheckpointFormat.Safetensors, config);
    }

    private static string? SiblingConfig(string path)
    {
        var candidate = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, HfConfigFile);
        if (FileKinds.Of(candidate) == FileKind.Missing) return null;
        InputFiles.Check(candidate, "The model config beside the checkpoint");
        return candidate;
    }
}
