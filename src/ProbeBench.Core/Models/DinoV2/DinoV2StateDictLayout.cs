namespace ProbeBench.Core.Models.DinoV2;

/// <summary>The official DINOv2 state-dict keys and shapes for a <see cref="DinoV2Config"/>.</summary>
public static class DinoV2StateDictLayout
{
    /// <summary>Every key of <c>DinoVisionTransformer.state_dict()</c> (block_chunks=0, as the hub builds it) with its shape.</summary>
    public static IReadOnlyDictionary<string, long[]> ExpectedShapes(DinoV2Config config)
    {
        long d = config.EmbedDim, h = config.FfnHiddenDim, p = config.PatchSize;
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal)
        {
            ["cls_token"] = [1, 1, d],
            ["pos_embed"] = [1, (long)config.GridSize * config.GridSize + 1, d],
            ["mask_token"] = [1, d],
            ["patch_embed.proj.weight"] = [d, config.InChannels, p, p],
            ["patch_embed.proj.bias"] = [d],
        };
        if (config.NumRegisterTokens > 0)
            shapes["register_tokens"] = [1, config.NumRegisterTokens, d];
        for (var i = 0; i < config.Depth; i++)
        {
            var b = $"blocks.{i}.";
            shapes[b + "norm1.weight"] = [d];
            shapes[b + "norm1.bias"] = [d];
            shapes[b + "attn.qkv.weight"] = [3 * d, d];
            shapes[b + "attn.qkv.bias"] = [3 * d];
            shapes[b + "attn.proj.weight"] = [d, d];
            shapes[b + "attn.proj.bias"] = [d];
            shapes[b + "ls1.gamma"] = [d];
            shapes[b + "norm2.weight"] = [d];
            shapes[b + "norm2.bias"] = [d];
            if (config.Ffn == FfnLayer.SwiGluFused)
            {
                shapes[b + "mlp.w12.weight"] = [2 * h, d];
                shapes[b + "mlp.w12.bias"] = [2 * h];
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
            shapes[b + "ls2.gamma"] = [d];
        }
        shapes["norm.weight"] = [d];
        shapes["norm.bias"] = [d];
        return shapes;
    }
}
