using System.Text.RegularExpressions;

namespace ProbeBench.Core.Models.DinoV2;

/// <summary>Reads a <see cref="DinoV2Architecture"/> (and the official variant, if any) off state-dict shapes.</summary>
public static partial class DinoV2ArchitectureDetector
{
    public static DinoV2Architecture Detect(IReadOnlyDictionary<string, long[]> shapes, string source)
    {
        var patch = Require(shapes, "patch_embed.proj.weight", 4, source);
        var pos = Require(shapes, "pos_embed", 3, source);
        // Every dimension is range-checked before it is used: a hostile shape must not divide by zero or overflow.
        var problem = ArchitectureLimits.Range("the embed dim of patch_embed.proj.weight", patch[0], 1, ArchitectureLimits.MaxEmbedDim)
            ?? ArchitectureLimits.Range("the input channels of patch_embed.proj.weight", patch[1], 1, ArchitectureLimits.MaxChannels)
            ?? ArchitectureLimits.Range("the patch size of patch_embed.proj.weight", patch[2], 1, ArchitectureLimits.MaxPatchSize)
            ?? ArchitectureLimits.Range("the number of position embeddings in pos_embed", pos[1], 2,
                (long)(ArchitectureLimits.MaxImageSize / patch[2]) * (ArchitectureLimits.MaxImageSize / patch[2]) + 1);
        if (problem is not null) throw new ProbeBenchException($"{source}: {problem}.");
        var embed = (int)patch[0];
        var patchSize = (int)patch[2];
        var grid = (int)Math.Round(Math.Sqrt(pos[1] - 1));
        if (grid * grid != pos[1] - 1 || patch[2] != patch[3])
            throw new ProbeBenchException($"{source}: pos_embed {StrictStateDictCheck.Format(pos)} is not a square grid plus a class token.");

        var depth = shapes.Keys
            .Select(k => (Key: k, Match: BlockKey().Match(k)))
            .Where(m => m.Match.Success)
            .Select(m => ArchitectureLimits.BlockIndex(m.Match.Groups[1].Value, m.Key, source) + 1)
            .DefaultIfEmpty(0)
            .Max();
        if (depth == 0) throw new ProbeBenchException($"{source} holds no transformer blocks (no key blocks.N.*).");

        FfnLayer ffn;
        long hiddenWidth;
        if (shapes.TryGetValue("blocks.0.mlp.w12.weight", out var w12))
        {
            ffn = FfnLayer.SwiGluFused;
            hiddenWidth = w12.Length > 0 ? w12[0] / 2 : 0;
        }
        else
        {
            ffn = FfnLayer.Mlp;
            hiddenWidth = Require(shapes, "blocks.0.mlp.fc1.weight", 2, source)[0];
        }
        var registers = shapes.TryGetValue("register_tokens", out var reg) && reg.Length == 3 ? reg[1] : 0;
        problem = ArchitectureLimits.Range("the feed-forward width", hiddenWidth, 1, (long)(ArchitectureLimits.MaxMlpRatio * embed))
            ?? ArchitectureLimits.Range("the number of register_tokens", registers, 0, ArchitectureLimits.MaxRegisterTokens);
        if (problem is not null) throw new ProbeBenchException($"{source}: {problem}.");
        var hidden = (int)hiddenWidth;

        var variant = DinoV2Variants.All.FirstOrDefault(v =>
            v.Config.EmbedDim == embed && v.Config.Depth == depth && v.Config.Ffn == ffn &&
            v.Config.FfnHiddenDim == hidden && v.Config.NumRegisterTokens == registers &&
            v.Config.PatchSize == patchSize && v.Config.GridSize == grid && v.Config.InChannels == patch[1]);
        return new DinoV2Architecture(embed, depth, patchSize, grid * patchSize, (int)patch[1], ffn, hidden, (int)registers, variant);
    }

    private static long[] Require(IReadOnlyDictionary<string, long[]> shapes, string key, int rank, string source)
    {
        if (!shapes.TryGetValue(key, out var shape))
            throw new ProbeBenchException($"{source} does not look like a DINOv2 state dict: it has no key '{key}'.");
        if (shape.Length != rank)
            throw new ProbeBenchException($"{source}: '{key}' has shape {StrictStateDictCheck.Format(shape)}, expected {rank} dimensions.");
        return shape;
    }

    // Any digits (\d is Unicode): ArchitectureLimits.BlockIndex refuses what is not a plain, bounded index, naming the key.
    [GeneratedRegex(@"^blocks\.(\d+)\.")]
    private static partial Regex BlockKey();
}
