using System.Text.Json;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Models.DinoV2;

/// <summary>
/// Reads a Hugging Face <c>config.json</c> of transformers' <c>Dinov2Model</c> or <c>Dinov2WithRegistersModel</c>
/// into a <see cref="DinoV2Config"/>. Position-embedding interpolation follows the official code for the
/// matching hub models: offset 0.1 without antialias for Dinov2, offset 0 with antialias for register models.
/// </summary>
public static class HfDinov2ConfigReader
{
    public static DinoV2Config Read(string path) => Parse(ReadText(path), path);

    /// <summary>The config, or null when the file names another model type (a config of another backbone family).</summary>
    public static DinoV2Config? TryRead(string path)
    {
        var text = ReadText(path);
        return IsOtherModelType(text) ? null : Parse(text, path);
    }

    private static bool IsOtherModelType(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("model_type", out var type) && type.ValueKind == JsonValueKind.String
                   && type.GetString() is not ("dinov2" or "dinov2_with_registers");
        }
        catch (JsonException)
        {
            return false; // Parse reports it
        }
    }

    /// <summary>A config.json is a few hundred bytes; anything beyond this is not one (and is not read into memory).</summary>
    public const long MaxConfigBytes = ArchitectureLimits.MaxConfigBytes;

    private static string ReadText(string path) => InputFiles.ReadSmallText(path, "The model config", MaxConfigBytes);

    public static DinoV2Config Parse(string json, string source)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ProbeBenchException($"{source} is not valid JSON: {e.Message}", inner: e);
        }
        if (root.ValueKind != JsonValueKind.Object)
            throw new ProbeBenchException($"{source} is not a JSON object.");

        var modelType = GetString(root, "model_type", source, null);
        var withRegisters = modelType switch
        {
            "dinov2" => false,
            "dinov2_with_registers" => true,
            _ => throw new ProbeBenchException(
                $"{source}: model_type '{modelType}' is not a DINOv2 model (expected dinov2 or dinov2_with_registers)."),
        };

        var act = GetString(root, "hidden_act", source, "gelu");
        if (act != "gelu")
            throw new ProbeBenchException($"{source}: hidden_act '{act}' is not supported (DINOv2 uses gelu).");
        if (!GetBool(root, "qkv_bias", source, true))
            throw new ProbeBenchException($"{source}: qkv_bias false is not supported (DINOv2 uses qkv biases).");

        // Every number is range-checked here, naming its key, before anything is derived from it (Validated checks the rest).
        return new DinoV2Config(
            EmbedDim: GetInt(root, "hidden_size", source, null, 1, ArchitectureLimits.MaxEmbedDim),
            Depth: GetInt(root, "num_hidden_layers", source, null, 1, ArchitectureLimits.MaxDepth),
            NumHeads: GetInt(root, "num_attention_heads", source, null, 1, ArchitectureLimits.MaxHeads),
            Ffn: GetBool(root, "use_swiglu_ffn", source, false) ? FfnLayer.SwiGluFused : FfnLayer.Mlp,
            NumRegisterTokens: withRegisters ? GetInt(root, "num_register_tokens", source, 4, 0, ArchitectureLimits.MaxRegisterTokens) : 0,
            InterpolateOffset: withRegisters ? 0.0 : 0.1,
            InterpolateAntialias: withRegisters,
            PatchSize: GetInt(root, "patch_size", source, 14, 1, ArchitectureLimits.MaxPatchSize),
            ImageSize: GetInt(root, "image_size", source, 224, 1, ArchitectureLimits.MaxImageSize),
            MlpRatio: GetDouble(root, "mlp_ratio", source, 4.0, 0, ArchitectureLimits.MaxMlpRatio),
            LayerNormEps: GetDouble(root, "layer_norm_eps", source, 1e-6, 0, 1),
            InChannels: GetInt(root, "num_channels", source, 3, 1, ArchitectureLimits.MaxChannels)).Validated(source);
    }

    private static JsonElement? Find(JsonElement root, string key, string source, bool required)
    {
        if (root.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null) return value;
        if (required) throw new ProbeBenchException($"{source} lacks the key '{key}'.");
        return null;
    }

    private static int GetInt(JsonElement root, string key, string source, int? fallback, int min, int max)
    {
        var value = Find(root, key, source, fallback is null);
        if (value is null) return fallback!.Value;
        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetDouble(out var number) || number != Math.Floor(number))
            throw new ProbeBenchException($"{source}: key '{key}' must be an integer.");
        if (number < min || number > max)
            throw new ProbeBenchException($"{source}: key '{key}' is {value.Value.GetRawText()}; ProbeBench accepts {min} to {max}.");
        return (int)number;
    }

    private static double GetDouble(JsonElement root, string key, string source, double fallback, double above, double max)
    {
        var value = Find(root, key, source, false);
        if (value is null) return fallback;
        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetDouble(out var number))
            throw new ProbeBenchException($"{source}: key '{key}' must be a number.");
        return ArchitectureLimits.Range($"key '{key}'", number, above, max) is { } problem
            ? throw new ProbeBenchException($"{source}: {problem}.")
            : number;
    }

    private static bool GetBool(JsonElement root, string key, string source, bool fallback)
    {
        var value = Find(root, key, source, false);
        if (value is null) return fallback;
        return value.Value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ProbeBenchException($"{source}: key '{key}' must be true or false."),
        };
    }

    private static string GetString(JsonElement root, string key, string source, string? fallback)
    {
        var value = Find(root, key, source, fallback is null);
        if (value is null) return fallback!;
        if (value.Value.ValueKind == JsonValueKind.String) return value.Value.GetString()!;
        throw new ProbeBenchException($"{source}: key '{key}' must be a string.");
    }
}
