using System.Globalization;
using System.Text.RegularExpressions;

namespace ProbeBench.Core.Models.DinoV3;

/// <summary>
/// Reads a <see cref="DinoV3Config"/> off official state-dict shapes. A DINOv3 checkpoint describes itself:
/// <c>rope_embed.periods</c> holds head_dim / 4 values, so heads = embed_dim / (4 · its length); the feed-forward kind and
/// width, storage tokens, qkv bias and mask, LayerScale and the untied local class-token norm all show in the keys.
/// What no shape shows takes the published models' value: LayerNorm eps 1e-5, coordinates normalised per axis.
/// </summary>
public static partial class DinoV3ArchitectureDetector
{
    public static DinoV3Config Detect(IReadOnlyDictionary<string, long[]> shapes, string source)
    {
        var patch = Require(shapes, "patch_embed.proj.weight", 4, source);
        var periods = Require(shapes, "rope_embed.periods", 1, source);
        // 4 · periods must neither overflow nor wrap to 0 before the division below.
        if (ArchitectureLimits.Range("the length of rope_embed.periods", periods[0], 0, ArchitectureLimits.MaxEmbedDim / 4) is { } problem)
            throw new ProbeBenchException($"{source}: {problem}.");
        var embed = patch[0];
        if (patch[2] != patch[3])
            throw new ProbeBenchException($"{source}: patch_embed.proj.weight {StrictStateDictCheck.Format(patch)} has non-square patches.");
        if (periods[0] == 0 || embed % (4 * periods[0]) != 0)
            throw new ProbeBenchException($"{source}: rope_embed.periods has {periods[0]} entries, which do not divide embed dim {embed} into heads (heads = embed / (4 · periods)).");
        var heads = embed / (4 * periods[0]);

        var depth = Depth(shapes.Keys, source);

        var swiglu = shapes.ContainsKey("blocks.0.mlp.w1.weight");
        var hidden = Require(shapes, swiglu ? "blocks.0.mlp.w1.weight" : "blocks.0.mlp.fc1.weight", 2, source)[0];
        var storage = shapes.TryGetValue("storage_tokens", out var s) && s.Length == 3 ? s[1] : 0;
        var qkvBias = shapes.ContainsKey("blocks.0.attn.qkv.bias");

        var detected = new DinoV3Config(
            EmbedDim: Int(embed, "the embed dim", source), Depth: depth, NumHeads: Int(heads, "the number of heads", source),
            FfnLayer: swiglu ? "swiglu" : DinoV3Ffn.Mlp, FfnHiddenDim: Int(hidden, "the feed-forward width", source),
            StorageTokens: Int(storage, "the number of storage tokens", source), PatchSize: Int(patch[2], "the patch size", source),
            QkvBias: qkvBias, MaskKBias: !qkvBias || shapes.ContainsKey("blocks.0.attn.qkv.bias_mask"),
            LayerScale: shapes.ContainsKey("blocks.0.ls1.gamma"),
            UntieGlobalAndLocalClsNorm: shapes.ContainsKey("local_cls_norm.weight"),
            InChannels: Int(patch[1], "the number of input channels", source));
        return (MatchingVariant(detected, source)?.Config ?? detected).Validated(source);
    }

    /// <summary>
    /// The published variant with the architecture of <paramref name="detected"/>: the one whose file <paramref name="source"/> is named after when it
    /// matches (ViT-7B's LVD and SAT weights share one architecture), else the first; null for a custom model.
    /// </summary>
    public static DinoV3Variant? MatchingVariant(DinoV3Config detected, string source)
    {
        var matches = DinoV3Variants.All.Where(v => SameArchitecture(v.Config, detected)).ToList();
        var fileName = Path.GetFileName(source);
        return matches.FirstOrDefault(v => v.Checkpoint.FileName == fileName) ?? matches.FirstOrDefault();
    }

    // The ffn name of a variant (swiglu64) is not in the shapes; its kind and width are.
    private static bool SameArchitecture(DinoV3Config a, DinoV3Config b) => AsShapesShowIt(a) == AsShapesShowIt(b);

    private static DinoV3Config AsShapesShowIt(DinoV3Config c) => c with { FfnLayer = c.IsSwiGlu ? "swiglu" : DinoV3Ffn.Mlp };

    // Blocks must be numbered 0..depth-1 without gaps, which also bounds the depth by the number of keys.
    private static int Depth(IEnumerable<string> keys, string source)
    {
        var indices = new SortedSet<int>();
        foreach (var key in keys)
            if (BlockKey().Match(key) is { Success: true } match) indices.Add(ArchitectureLimits.BlockIndex(match.Groups[1].Value, key, source));
        if (indices.Count == 0) throw new ProbeBenchException($"{source} holds no transformer blocks (no key blocks.N.*).");
        if (indices.Max != indices.Count - 1)
        {
            var gap = Enumerable.Range(0, indices.Count).First(i => !indices.Contains(i));
            throw new ProbeBenchException($"{source} numbers its blocks up to {indices.Max} but has no blocks.{gap}.*.");
        }
        return indices.Count;
    }

    private static int Int(long value, string what, string source) =>
        value is >= 0 and <= int.MaxValue ? (int)value : throw new ProbeBenchException($"{source}: {what} ({value}) is out of range.");

    private static long[] Require(IReadOnlyDictionary<string, long[]> shapes, string key, int rank, string source)
    {
        if (!shapes.TryGetValue(key, out var shape))
            throw new ProbeBenchException($"{source} does not look like a DINOv3 state dict: it has no key '{key}'.");
        if (shape.Length != rank)
            throw new ProbeBenchException($"{source}: '{key}' has shape {StrictStateDictCheck.Format(shape)}, expected {rank} dimensions.");
        return shape;
    }

    [GeneratedRegex(@"^blocks\.(\d+)\.")]
    private static partial Regex BlockKey();
}
