using System.Text.RegularExpressions;
using ProbeBench.Core.Weights;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV2;

/// <summary>
/// Renames a transformers <c>Dinov2Model</c> / <c>Dinov2WithRegistersModel</c> state dict to the official DINOv2
/// layout: split query/key/value are concatenated into <c>attn.qkv</c>, <c>layer_scale*.lambda1</c> becomes
/// <c>ls*.gamma</c>, SwiGLU <c>weights_in/weights_out</c> become <c>w12/w3</c>, and so on. Strict: keys it does
/// not know, and q/k/v sets with a part missing, are errors listing them.
/// </summary>
public static partial class HfDinov2KeyMapper
{
    private static readonly Dictionary<string, string> TopLevel = new(StringComparer.Ordinal)
    {
        ["embeddings.cls_token"] = "cls_token",
        ["embeddings.mask_token"] = "mask_token",
        ["embeddings.position_embeddings"] = "pos_embed",
        ["embeddings.register_tokens"] = "register_tokens",
        ["embeddings.patch_embeddings.projection.weight"] = "patch_embed.proj.weight",
        ["embeddings.patch_embeddings.projection.bias"] = "patch_embed.proj.bias",
        ["layernorm.weight"] = "norm.weight",
        ["layernorm.bias"] = "norm.bias",
    };

    private static readonly Dictionary<string, string> InBlock = new(StringComparer.Ordinal)
    {
        ["norm1.weight"] = "norm1.weight",
        ["norm1.bias"] = "norm1.bias",
        ["attention.output.dense.weight"] = "attn.proj.weight",
        ["attention.output.dense.bias"] = "attn.proj.bias",
        ["layer_scale1.lambda1"] = "ls1.gamma",
        ["norm2.weight"] = "norm2.weight",
        ["norm2.bias"] = "norm2.bias",
        ["mlp.fc1.weight"] = "mlp.fc1.weight",
        ["mlp.fc1.bias"] = "mlp.fc1.bias",
        ["mlp.fc2.weight"] = "mlp.fc2.weight",
        ["mlp.fc2.bias"] = "mlp.fc2.bias",
        ["mlp.weights_in.weight"] = "mlp.w12.weight",
        ["mlp.weights_in.bias"] = "mlp.w12.bias",
        ["mlp.weights_out.weight"] = "mlp.w3.weight",
        ["mlp.weights_out.bias"] = "mlp.w3.bias",
        ["layer_scale2.lambda1"] = "ls2.gamma",
    };

    private static readonly string[] QkvParts = ["query", "key", "value"];

    [GeneratedRegex(@"^encoder\.layer\.(\d+)\.(.+)$")]
    private static partial Regex LayerKey();

    [GeneratedRegex(@"^attention\.attention\.(query|key|value)\.(weight|bias)$")]
    private static partial Regex QkvKey();

    /// <summary>True when the keys are in transformers' Dinov2 layout (so <see cref="Map"/> applies).</summary>
    public static bool IsHfLayout(IEnumerable<string> keys) =>
        keys.Any(k => k == "embeddings.patch_embeddings.projection.weight");

    /// <summary>The official name for one transformers key, or null for a q/k/v part (those are merged) or an unknown key.</summary>
    public static string? OfficialName(string hfKey)
    {
        if (TopLevel.TryGetValue(hfKey, out var top)) return top;
        var match = LayerKey().Match(hfKey);
        if (match.Success && InBlock.TryGetValue(match.Groups[2].Value, out var inner))
            return $"blocks.{match.Groups[1].Value}.{inner}";
        return null;
    }

    /// <summary>
    /// Moves every tensor of <paramref name="hf"/> into a new state dict with official keys (q/k/v merged);
    /// <paramref name="hf"/> is left empty. The result's <see cref="StateDict.Info"/> says HuggingFace.
    /// </summary>
    public static StateDict Map(StateDict hf)
    {
        var unknown = new List<string>();
        var qkv = new SortedDictionary<(int Layer, string Kind), Dictionary<string, string>>();
        var renames = new List<(string From, string To)>();
        foreach (var key in hf.Keys)
        {
            var official = OfficialName(key);
            if (official is not null)
            {
                if (LayerKey().Match(key) is { Success: true } numbered) ArchitectureLimits.BlockIndex(numbered.Groups[1].Value, key, hf.Info.Path);
                renames.Add((key, official));
                continue;
            }
            var layer = LayerKey().Match(key);
            var part = layer.Success ? QkvKey().Match(layer.Groups[2].Value) : Match.Empty;
            if (part.Success)
            {
                var slot = (ArchitectureLimits.BlockIndex(layer.Groups[1].Value, key, hf.Info.Path), part.Groups[2].Value);
                if (!qkv.TryGetValue(slot, out var parts)) qkv[slot] = parts = [];
                parts[part.Groups[1].Value] = key;
            }
            else unknown.Add(key);
        }

        if (unknown.Count > 0)
            throw new ProbeBenchException($"{hf.Info.Path} has keys that are not in transformers' Dinov2 layout: {string.Join(", ", unknown)}.");
        var missing = qkv.SelectMany(slot => QkvParts.Where(p => !slot.Value.ContainsKey(p))
            .Select(p => $"encoder.layer.{slot.Key.Layer}.attention.attention.{p}.{slot.Key.Kind}")).ToList();
        if (missing.Count > 0)
            throw new ProbeBenchException($"{hf.Info.Path} lacks the attention keys {string.Join(", ", missing)}.");

        var mapped = new StateDict(hf.Info with { Format = CheckpointFormat.HuggingFace });
        try
        {
            foreach (var (from, to) in renames)
                mapped.Add(to, hf.Take(from));
            foreach (var ((layer, kind), parts) in qkv)
                mapped.Add($"blocks.{layer}.attn.qkv.{kind}", Concatenate(hf, QkvParts.Select(p => parts[p]).ToArray()));
            return mapped;
        }
        catch
        {
            mapped.Dispose();
            throw;
        }
    }

    private static Tensor Concatenate(StateDict hf, string[] keys)
    {
        var parts = keys.Select(k => hf[k]).ToArray();
        var shape = parts[0].shape;
        if (parts.Any(p => !p.shape.SequenceEqual(shape) || p.dtype != parts[0].dtype))
            throw new ProbeBenchException($"{hf.Info.Path} has query/key/value tensors of different shapes or dtypes: {string.Join(", ", keys)}.");
        var merged = cat(parts, 0);
        foreach (var key in keys) hf.Take(key).Dispose();
        return merged;
    }
}
