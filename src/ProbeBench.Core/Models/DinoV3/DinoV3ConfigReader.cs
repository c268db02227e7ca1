using System.Text.Json;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Models.DinoV3;

/// <summary>
/// Reads a DINOv3 model config: a JSON object with <c>"model_type": "dinov3"</c> and the keyword arguments of the official
/// <c>DinoVisionTransformer</c> (embed_dim, depth, num_heads required; ffn_ratio, ffn_layer, n_storage_tokens,
/// patch_size, in_chans, qkv_bias, mask_k_bias, layerscale_init, norm_layer, pos_embed_rope_base /
/// pos_embed_rope_min_period + pos_embed_rope_max_period, pos_embed_rope_normalize_coords, pos_embed_rope_dtype,
/// untie_global_and_local_cls_norm, untie_cls_and_patch_norms, ffn_bias, proj_bias). A key left out takes the value
/// every published DINOv3 ViT uses (dinov3/hub/backbones.py). Settings that act only in training (drop_path_rate, the
/// RoPE coordinate shift, jitter and rescale) and img_size are accepted and ignored; any other key is an error.
/// </summary>
public static class DinoV3ConfigReader
{
    public const string ModelType = "dinov3";

    private static readonly HashSet<string> TrainingOnly =
        ["model_type", "img_size", "drop_path_rate", "pos_embed_rope_shift_coords", "pos_embed_rope_jitter_coords", "pos_embed_rope_rescale_coords"];

    private static readonly HashSet<string> Known =
    [
        "embed_dim", "depth", "num_heads", "ffn_ratio", "ffn_layer", "n_storage_tokens", "patch_size", "in_chans", "qkv_bias",
        "mask_k_bias", "layerscale_init", "norm_layer", "pos_embed_rope_base", "pos_embed_rope_min_period", "pos_embed_rope_max_period",
        "pos_embed_rope_normalize_coords", "pos_embed_rope_dtype", "untie_global_and_local_cls_norm", "untie_cls_and_patch_norms",
        "ffn_bias", "proj_bias",
    ];

    /// <summary>The config, or null when the file is not a JSON object with model_type "dinov3" (another family's config).</summary>
    public static DinoV3Config? TryRead(string path)
    {
        if (Directory.Exists(path)) return null;
        // Size-capped and regular files only: a FIFO or a huge file named config.json is one line, not a hang.
        var text = InputFiles.ReadSmallText(path, "The model config", ArchitectureLimits.MaxConfigBytes);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null; // not this family's; the family that claims it reports the syntax
        }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("model_type", out var type) || type.ValueKind != JsonValueKind.String
            || type.GetString() != ModelType)
            return null;
        return Parse(root, path);
    }

    public static DinoV3Config Parse(JsonElement root, string source)
    {
        foreach (var property in root.EnumerateObject())
            if (!Known.Contains(property.Name) && !TrainingOnly.Contains(property.Name))
                throw new ProbeBenchException($"{source}: '{property.Name}' is not a DinoVisionTransformer setting ProbeBench knows ({string.Join(", ", Known)}).");

        var reader = new Reader(root, source);
        var embed = reader.Int("embed_dim", null);
        var ffnLayer = reader.String("ffn_layer", DinoV3Ffn.Mlp);
        if (!DinoV3Ffn.Names.Contains(ffnLayer))
            throw new ProbeBenchException($"{source}: ffn_layer '{ffnLayer}' is not one of {string.Join(", ", DinoV3Ffn.Names)}.");
        var ratio = reader.Double("ffn_ratio", 4.0);
        if (!(ratio > 0)) throw new ProbeBenchException($"{source}: ffn_ratio must be positive.");
        var eps = reader.String("norm_layer", "layernormbf16") switch
        {
            "layernormbf16" => 1e-5,
            "layernorm" => 1e-6,
            var other => throw new ProbeBenchException($"{source}: norm_layer '{other}' is not supported (layernormbf16 or layernorm)."),
        };
        var coords = reader.String("pos_embed_rope_normalize_coords", "separate") switch
        {
            "separate" => RopeCoordinates.Separate,
            "max" => RopeCoordinates.Max,
            "min" => RopeCoordinates.Min,
            var other => throw new ProbeBenchException($"{source}: pos_embed_rope_normalize_coords '{other}' is not one of separate, max, min."),
        };
        if (reader.String("pos_embed_rope_dtype", "fp32") != "fp32")
            throw new ProbeBenchException($"{source}: pos_embed_rope_dtype must be fp32 (every published model's); RoPE in half precision is not supported.");
        foreach (var (key, value) in new[] { ("untie_cls_and_patch_norms", false), ("ffn_bias", true), ("proj_bias", true) })
            if (reader.Bool(key, value) != value)
                throw new ProbeBenchException($"{source}: {key} = {(!value).ToString().ToLowerInvariant()} is not supported (every published model has {value.ToString().ToLowerInvariant()}).");

        var min = reader.OptionalDouble("pos_embed_rope_min_period");
        var max = reader.OptionalDouble("pos_embed_rope_max_period");
        var hasBase = root.TryGetProperty("pos_embed_rope_base", out var baseValue) && baseValue.ValueKind != JsonValueKind.Null;
        if ((min is not null || max is not null) && hasBase)
            throw new ProbeBenchException($"{source}: give either pos_embed_rope_base or pos_embed_rope_min_period with pos_embed_rope_max_period, not both.");

        return new DinoV3Config(
            EmbedDim: embed,
            Depth: reader.Int("depth", null),
            NumHeads: reader.Int("num_heads", null),
            FfnLayer: ffnLayer,
            FfnHiddenDim: DinoV3Ffn.HiddenDim(ffnLayer, embed, ratio),
            StorageTokens: reader.Int("n_storage_tokens", 4),
            PatchSize: reader.Int("patch_size", 16),
            QkvBias: reader.Bool("qkv_bias", true),
            MaskKBias: reader.Bool("mask_k_bias", true),
            LayerScale: reader.OptionalDouble("layerscale_init", 1e-5) is not null,
            UntieGlobalAndLocalClsNorm: reader.Bool("untie_global_and_local_cls_norm", false),
            LayerNormEps: eps,
            RopeNormalizeCoords: coords,
            RopeBase: min is null && max is null ? reader.Double("pos_embed_rope_base", 100) : 100,
            RopeMinPeriod: min,
            RopeMaxPeriod: max,
            InChannels: reader.Int("in_chans", 3)).Validated(source);
    }

    private readonly struct Reader(JsonElement root, string source)
    {
        public int Int(string key, int? fallback)
        {
            if (!root.TryGetProperty(key, out var v))
                return fallback ?? throw new ProbeBenchException($"{source}: '{key}' is required.");
            return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i
                : throw new ProbeBenchException($"{source}: '{key}' must be an integer.");
        }

        public double Double(string key, double fallback) => OptionalDouble(key, fallback)
            ?? throw new ProbeBenchException($"{source}: '{key}' must be a number.");

        /// <summary>The number under <paramref name="key"/>; null when it is JSON null; <paramref name="fallback"/> when absent.</summary>
        public double? OptionalDouble(string key, double? fallback = null)
        {
            if (!root.TryGetProperty(key, out var v)) return fallback;
            if (v.ValueKind == JsonValueKind.Null) return null;
            return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d) ? d
                : throw new ProbeBenchException($"{source}: '{key}' must be a number.");
        }

        public bool Bool(string key, bool fallback)
        {
            if (!root.TryGetProperty(key, out var v)) return fallback;
            return v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new ProbeBenchException($"{source}: '{key}' must be true or false."),
            };
        }

        public string String(string key, string fallback)
        {
            if (!root.TryGetProperty(key, out var v)) return fallback;
            return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new ProbeBenchException($"{source}: '{key}' must be a string.");
        }
    }
}
