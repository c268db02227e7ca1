using ProbeBench.Core.Models.DinoV2;

namespace ProbeBench.Tests.Weights;

/// <summary>Tiny official-layout DINOv2 state dicts, as shapes, that tests bend into hostile files.</summary>
internal static class HostileCheckpoints
{
    /// <summary>Embed 8, one block, two heads, patch 2, a 2×2 position grid: not an official variant, so it needs a config.</summary>
    public static DinoV2Config Tiny { get; } = new(EmbedDim: 8, Depth: 1, NumHeads: 2, PatchSize: 2, ImageSize: 4);

    /// <summary>The transformers config.json that describes <see cref="Tiny"/>.</summary>
    public const string TinyConfigJson = """
        { "model_type": "dinov2", "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "patch_size": 2,
          "image_size": 4, "mlp_ratio": 4, "layer_norm_eps": 1e-6 }
        """;

    /// <summary>Every official key of <see cref="Tiny"/> with its shape, in layout order.</summary>
    public static List<(string Key, long[] Shape)> TinyShapes() =>
        DinoV2StateDictLayout.ExpectedShapes(Tiny).Select(kv => (kv.Key, kv.Value)).ToList();

    /// <summary>A safetensors file of zeros with these keys and shapes.</summary>
    public static void WriteSafetensors(string path, IEnumerable<(string Key, long[] Shape)> shapes)
    {
        var builder = new SafetensorsFileBuilder();
        foreach (var (key, shape) in shapes)
            builder.Add(key, "F32", shape, new byte[shape.Aggregate(1L, (a, b) => a * b) * 4]);
        builder.Write(path);
    }

    /// <summary>Replaces the key <paramref name="from"/> by <paramref name="to"/> (same shape).</summary>
    public static List<(string Key, long[] Shape)> Renamed(this List<(string Key, long[] Shape)> shapes, string from, string to) =>
        shapes.Select(s => s.Key == from ? (to, s.Shape) : s).ToList();

    /// <summary>Gives the key <paramref name="key"/> another shape.</summary>
    public static List<(string Key, long[] Shape)> Reshaped(this List<(string Key, long[] Shape)> shapes, string key, long[] shape) =>
        shapes.Select(s => s.Key == key ? (key, shape) : s).ToList();
}
