namespace ProbeBench.Core.Models.DinoV3;

/// <summary>The official DINOv3 state-dict keys and shapes for a <see cref="DinoV3Config"/>, buffers included.</summary>
public static class DinoV3StateDictLayout
{
    /// <summary>The buffers among the keys (not learned parameters): the RoPE periods and the qkv bias masks.</summary>
    public static bool IsBuffer(string key) =>
        key == "rope_embed.periods" || key.EndsWith(".attn.qkv.bias_mask", StringComparison.Ordinal);

    /// <summary>Every key of <c>DinoVisionTransformer.state_dict()</c> as the hub builds it, with its shape, in the official order.</summary>
    public static IReadOnlyDictionary<string, long[]> ExpectedShapes(DinoV3Config config)
    {
        long d = config.EmbedDim, h = config.FfnHiddenDim, p = config.PatchSize;
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal) { ["cls_token"] = [1, 1, d] };
        if (config.StorageTokens > 0) shapes["storage_tokens"] = [1, config.StorageTokens, d];
        shapes["mask_token"] = [1, d];
        shapes["patch_embed.proj.weight"] = [d, config.InChannels, p, p];
        shapes["patch_embed.proj.bias"] = [d];
        shapes["rope_embed.periods"] = [config.RopePeriods];
        for (var i = 0; i < config.Depth; i++)
        {
            var b = $"blocks.{i}.";
            shapes[b + "norm1.weight"] = [d];
            shapes[b + "norm1.bias"] = [d];
            shapes[b + "attn.qkv.weight"] = [3 * d, d];
            if (config.QkvBias) shapes[b + "attn.qkv.bias"] = [3 * d];
            if (config.HasBiasMask) shapes[b + "attn.qkv.bias_mask"] = [3 * d];
            shapes[b + "attn.proj.weight"] = [d, d];
            shapes[b + "attn.proj.bias"] = [d];
            if (config.LayerScale) shapes[b + "ls1.gamma"] = [d];
            shapes[b + "norm2.weight"] = [d];
            shapes[b + "norm2.bias"] = [d];
            if (config.IsSwiGlu)
            {
                shapes[b + "mlp.w1.weight"] = [h, d];
                shapes[b + "mlp.w1.bias"] = [h];
                shapes[b + "mlp.w2.weight"] = [h, d];
                shapes[b + "mlp.w2.bias"] = [h];
                shapes[b + "mlp.w3.weight"] = [d, h];
                shapes[b + "mlp.w3.bias"] = [d];
            }
            else
            {
                shapes[b + "mlp.fc1.weight"] = [h, d];
                shapes[b + "mlp.fc1.bias"] = [h];
                shapes[b + "mlp.fc2.weight"] = [d, h];
                shapes[b + "mlp.fc2.bias"] = [d];
            }
            if (config.LayerScale) shapes[b + "ls2.gamma"] = [d];
        }
        shapes["norm.weight"] = [d];
        shapes["norm.bias"] = [d];
        if (config.UntieGlobalAndLocalClsNorm)
        {
            shapes["local_cls_norm.weight"] = [d];
            shapes["local_cls_norm.bias"] = [d];
        }
        return shapes;
    }
}
