using System.Buffers.Binary;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Core.Weights;

/// <summary>
/// Loads any checkpoint ProbeBench understands into a state dict with official DINOv2 keys, choosing the
/// reader by content, not by file name: a zip (<c>PK</c>) is a <c>torch.save</c> checkpoint; a file that
/// starts with a plausible safetensors header is safetensors (mapped from transformers' layout when its keys are
/// in it); a folder must hold <c>model.safetensors</c> and <c>config.json</c> (transformers layout).
/// </summary>
public static class CheckpointLoader
{
    public const string HfWeightsFile = "model.safetensors";
    public const string HfConfigFile = "config.json";

    public static StateDict Load(string path)
    {
        TorchRuntime.EnsureInitialized();
        if (Directory.Exists(path)) return LoadHfFolder(path);
        if (!File.Exists(path))
            throw new ProbeBenchException($"The checkpoint {path} does not exist.");

        return Detect(path) switch
        {
            CheckpointFormat.TorchZip => PthCheckpointReader.Read(path),
            _ => LoadSafetensors(path, SiblingConfig(path)),
        };
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
            throw new ProbeBenchException($"The checkpoint folder {folder} lacks {string.Join(" and ", missing)} (a transformers Dinov2 folder holds {HfWeightsFile} and {HfConfigFile}).");
        return LoadSafetensors(weights, config);
    }

    private static StateDict LoadSafetensors(string path, string? configPath)
    {
        var header = SafetensorsHeader.Read(path);
        if (!HfDinov2KeyMapper.IsHfLayout(header.Entries.Select(e => e.Name)))
            return SafetensorsReader.Read(path);
        using var hf = SafetensorsReader.Read(path, CheckpointFormat.HuggingFace, configPath);
        return HfDinov2KeyMapper.Map(hf);
    }

    private static string? SiblingConfig(string path)
    {
        var candidate = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, HfConfigFile);
        return File.Exists(candidate) ? candidate : null;
    }
}
