using ProbeBench.Core.Models.Modules;
using ProbeBench.Core.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using LayerNorm = ProbeBench.Core.Models.Modules.LayerNorm;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV3;

/// <summary>
/// The DINOv3 vision transformer in TorchSharp, equivalent to the official <c>DinoVisionTransformer</c> at inference.
/// Its module tree mirrors the official state-dict keys, buffers included (cls_token, storage_tokens, mask_token,
/// patch_embed.proj, rope_embed.periods, blocks.N.* with attn.qkv.bias_mask, norm, local_cls_norm). Every weight is a
/// view of the checkpoint tensor when dtype and device stay, so a checkpoint is held once. Inputs: B×C×H×W with H and W
/// any positive multiples of 16 (RoPE needs no interpolation); outputs belong to the caller.
/// </summary>
public sealed class DinoV3Backbone : nn.Module, ITokenBackbone
{
    [ComponentName(Name = "cls_token")] private Parameter _clsToken;
    [ComponentName(Name = "storage_tokens")] private Parameter? _storageTokens;
    [ComponentName(Name = "mask_token")] private Parameter _maskToken;
    [ComponentName(Name = "patch_embed")] private readonly PatchEmbed _patchEmbed;
    [ComponentName(Name = "rope_embed")] private readonly RopeEmbedding _ropeEmbed;
    [ComponentName(Name = "blocks")] private readonly ModuleList<SelfAttentionBlock> _blocks;
    [ComponentName(Name = "norm")] private readonly LayerNorm _norm;
    // Trained for local crops only; the official code never applies it at inference.
    [ComponentName(Name = "local_cls_norm")] private readonly LayerNorm? _localClsNorm;

    private DinoV3Backbone(DinoV3Config config, ParameterSource source, IReadOnlyDictionary<string, Tensor> stateDict, Device? device)
        : base("DinoVisionTransformer")
    {
        Config = config;
        _clsToken = source.Take("cls_token");
        _storageTokens = config.StorageTokens > 0 ? source.Take("storage_tokens") : null;
        _maskToken = source.Take("mask_token");
        _patchEmbed = new PatchEmbed("patch_embed", source, config.PatchSize);
        _ropeEmbed = new RopeEmbedding("rope_embed", stateDict["rope_embed.periods"], config.RopeNormalizeCoords, config.PrefixTokens, device);
        _blocks = new ModuleList<SelfAttentionBlock>(Enumerable.Range(0, config.Depth)
            .Select(i => new SelfAttentionBlock(i.ToString(System.Globalization.CultureInfo.InvariantCulture), source, $"blocks.{i}.", config)).ToArray());
        _norm = new LayerNorm("norm", source, "norm", config.LayerNormEps);
        _localClsNorm = config.UntieGlobalAndLocalClsNorm ? new LayerNorm("local_cls_norm", source, "local_cls_norm", config.LayerNormEps) : null;
        RegisterComponents();
    }

    public DinoV3Config Config { get; }

    IBackboneConfig ITokenBackbone.Config => Config;

    public ScalarType DType => _clsToken.dtype;

    public Device Device => _clsToken.device;

    internal RopeEmbedding Rope => _ropeEmbed;

    /// <summary>
    /// Builds the model from a state dict with the official keys, strictly: missing or unexpected keys and shape
    /// mismatches raise one <see cref="ProbeBenchException"/> listing them, as does a bias_mask that is not 0/1.
    /// The state dict may be disposed afterwards.
    /// </summary>
    public static DinoV3Backbone Load(DinoV3Config config, IReadOnlyDictionary<string, Tensor> stateDict, string source,
        ScalarType? dtype = null, Device? device = null)
    {
        TorchRuntime.EnsureInitialized();
        config.Validated(source);
        StrictStateDictCheck.Verify(DinoV3StateDictLayout.ExpectedShapes(config), BackboneCheckpoints.Shapes(stateDict), source);
        DinoV3BufferCheck.Verify(config, stateDict, source);
        using var noGrad = no_grad();
        return new DinoV3Backbone(config, new ParameterSource(stateDict, dtype, device), stateDict, device);
    }

    /// <summary>The official <c>forward_features</c> (no masks).</summary>
    public DinoV3Features ForwardFeatures(Tensor images)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var prenorm = Run(images, new SortedSet<int> { Config.Depth - 1 }, norm: false)[Config.Depth - 1];
        var normed = _norm.forward(prenorm);
        var s = Config.StorageTokens;
        return new DinoV3Features(
            normed[.., 0].MoveToOuterDisposeScope(),
            normed[.., 1..(1 + s)].MoveToOuterDisposeScope(),
            normed[.., (1 + s)..].MoveToOuterDisposeScope(),
            prenorm.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Full token sequences (B×(1+S+h·w)×D: class, storage, patches) after each requested block, in ONE pass that stops
    /// after the deepest one; with <paramref name="norm"/> the final LayerNorm is applied to each.
    /// </summary>
    public IReadOnlyDictionary<int, Tensor> ForwardBlocks(Tensor images, IReadOnlyCollection<int> blocks, bool norm) =>
        BlockOutputs.Forward(blocks, Config.Depth, wanted => Run(images, wanted, norm));

    /// <summary>The official <c>get_intermediate_layers</c> for the last <paramref name="n"/> blocks.</summary>
    public IReadOnlyList<DinoV3Layer> GetIntermediateLayers(Tensor images, int n, bool reshape = false, bool norm = true) =>
        GetIntermediateLayers(images, BlockOutputs.Last(n, Config.Depth), reshape, norm);

    /// <summary>
    /// The official <c>get_intermediate_layers</c> for block indices, in block order (each once), with class and storage
    /// tokens; patch tokens are B×(h·w)×D, or B×D×h×w with <paramref name="reshape"/>.
    /// </summary>
    public IReadOnlyList<DinoV3Layer> GetIntermediateLayers(Tensor images, IReadOnlyCollection<int> blocks, bool reshape = false, bool norm = true)
    {
        using var scope = NewDisposeScope();
        var prefix = Config.PrefixTokens;
        return BlockOutputs.Patches(ForwardBlocks(images, blocks, norm), images, Config.PatchSize, prefix, reshape)
            .Select(p => new DinoV3Layer(p.Index, p.Patch.MoveToOuterDisposeScope(), p.Tokens[.., 0].MoveToOuterDisposeScope(), p.Tokens[.., 1..prefix].MoveToOuterDisposeScope()))
            .ToList();
    }

    /// <summary>
    /// DINOv3's linear-eval input (create_linear_input in dinov3/eval/linear.py): class tokens of the last
    /// <paramref name="lastBlocks"/> blocks (normed), plus the last block's mean patch token with <paramref name="avgPool"/>; float32.
    /// </summary>
    public Tensor LinearInput(Tensor images, int lastBlocks, bool avgPool)
    {
        using var scope = NewDisposeScope();
        var layers = GetIntermediateLayers(images, lastBlocks);
        var parts = layers.Select(l => l.Cls).ToList();
        if (avgPool) parts.Add(layers[^1].Patch.mean([1]));
        return cat(parts, -1).to(float32).MoveToOuterDisposeScope();
    }

    /// <summary>Patch embedding, then [class, storage, patches] (official prepare_tokens_with_masks without masks).</summary>
    public Tensor PrepareTokens(Tensor images)
    {
        var c = Config;
        if (images.dim() != 4 || images.shape[1] != c.InChannels)
            throw new ProbeBenchException($"Images must be B×{c.InChannels}×H×W; got [{string.Join(", ", images.shape)}].");
        long height = images.shape[2], width = images.shape[3];
        if (height % c.PatchSize != 0 || width % c.PatchSize != 0 || height == 0 || width == 0)
            throw new ProbeBenchException($"Image height and width must be positive multiples of the patch size {c.PatchSize}; got {height}x{width}.");

        using var scope = NewDisposeScope();
        var input = images.dtype == DType && images.device == Device ? images : images.to(DType, Device);
        var x = _patchEmbed.forward(input);
        var batch = x.shape[0];
        // As the official code: cls_token + 0 * mask_token (so a non-finite mask token shows, as there).
        var cls = _clsToken + 0 * _maskToken;
        x = _storageTokens is null
            ? cat([cls.expand(batch, -1, -1), x], 1)
            : cat([cls.expand(batch, -1, -1), _storageTokens.expand(batch, -1, -1), x], 1);
        return x.MoveToOuterDisposeScope();
    }

    // Blocks up to the deepest wanted one; earlier activations are freed as soon as they are not needed.
    private SortedDictionary<int, Tensor> Run(Tensor images, SortedSet<int> wanted, bool norm)
    {
        var outputs = new SortedDictionary<int, Tensor>();
        var x = PrepareTokens(images);
        var rope = _ropeEmbed.ForGrid(images.shape[2] / Config.PatchSize, images.shape[3] / Config.PatchSize);
        var xIsOutput = false;
        for (var i = 0; i <= wanted.Max; i++)
        {
            var next = _blocks[i].Forward(x, rope);
            if (!xIsOutput) x.Dispose();
            x = next;
            xIsOutput = wanted.Contains(i) && !norm;
            if (wanted.Contains(i)) outputs[i] = norm ? _norm.forward(x) : x;
        }
        if (!xIsOutput) x.Dispose();
        return outputs;
    }
}
