using ProbeBench.Core.Models.Modules;
using ProbeBench.Core.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV2;

/// <summary>
/// The DINOv2 vision transformer in TorchSharp, equivalent to the official <c>DinoVisionTransformer</c> in
/// inference. Its module tree mirrors the official state-dict keys (patch_embed.proj, cls_token, pos_embed,
/// register_tokens, mask_token, blocks.N.*, norm); layer-scale gammas are folded into attn.proj and
/// mlp.fc2 / mlp.w3 at load time, so those parameters hold γ-scaled weights. Every linear runs as addmm on a
/// 2-D view. Inputs: B×C×H×W with H and W multiples of the patch size, converted to the model's dtype and device.
/// All outputs belong to the caller (dispose them, or run inside a dispose scope).
/// </summary>
public sealed class DinoV2Backbone : nn.Module, ITokenBackbone
{
    [ComponentName(Name = "cls_token")] private Parameter _clsToken;
    [ComponentName(Name = "pos_embed")] private Parameter _posEmbed;
    [ComponentName(Name = "register_tokens")] private Parameter? _registerTokens;
    [ComponentName(Name = "mask_token")] private Parameter _maskToken;
    [ComponentName(Name = "patch_embed")] private readonly PatchEmbed _patchEmbed;
    [ComponentName(Name = "blocks")] private readonly ModuleList<Block> _blocks;
    [ComponentName(Name = "norm")] private readonly Modules.LayerNorm _norm;

    private DinoV2Backbone(DinoV2Config config, ParameterSource source) : base("DinoVisionTransformer")
    {
        Config = config;
        _clsToken = source.Take("cls_token");
        _posEmbed = source.Take("pos_embed");
        _registerTokens = config.NumRegisterTokens > 0 ? source.Take("register_tokens") : null;
        _maskToken = source.Take("mask_token");
        _patchEmbed = new PatchEmbed("patch_embed", source, config.PatchSize);
        _blocks = new ModuleList<Block>(Enumerable.Range(0, config.Depth)
            .Select(i => new Block(i.ToString(), source, $"blocks.{i}.", config)).ToArray());
        _norm = new Modules.LayerNorm("norm", source, "norm", config.LayerNormEps);
        RegisterComponents();
    }

    public DinoV2Config Config { get; }

    IBackboneConfig ITokenBackbone.Config => Config;

    public ScalarType DType => _clsToken.dtype;

    public Device Device => _clsToken.device;

    /// <summary>
    /// Builds the model from a state dict with the official keys, strictly: missing or unexpected keys and shape
    /// mismatches raise one <see cref="ProbeBenchException"/> listing them. Parameters share the state dict's
    /// storage where dtype and device stay the same; the state dict may be disposed afterwards.
    /// </summary>
    /// <param name="source">The checkpoint's name for error messages.</param>
    public static DinoV2Backbone Load(DinoV2Config config, IReadOnlyDictionary<string, Tensor> stateDict, string source,
        ScalarType? dtype = null, Device? device = null)
    {
        TorchRuntime.EnsureInitialized();
        config.Validated(source);
        StrictStateDictCheck.Verify(DinoV2StateDictLayout.ExpectedShapes(config), BackboneCheckpoints.Shapes(stateDict), source);
        using var noGrad = no_grad();
        return new DinoV2Backbone(config, new ParameterSource(stateDict, dtype, device));
    }

    /// <summary>The official <c>forward_features</c>.</summary>
    public DinoV2Features ForwardFeatures(Tensor images)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var prenorm = Run(images, new SortedSet<int> { Config.Depth - 1 }, norm: false)[Config.Depth - 1];
        var normed = _norm.forward(prenorm);
        var r = Config.NumRegisterTokens;
        return new DinoV2Features(
            normed[.., 0].MoveToOuterDisposeScope(),
            normed[.., 1..(1 + r)].MoveToOuterDisposeScope(),
            normed[.., (1 + r)..].MoveToOuterDisposeScope(),
            prenorm.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Full token sequences (B×(1+R+h·w)×D: class, registers, patches) after each requested block, in ONE pass
    /// that stops after the deepest one; with <paramref name="norm"/> the final LayerNorm is applied to each.
    /// </summary>
    public IReadOnlyDictionary<int, Tensor> ForwardBlocks(Tensor images, IReadOnlyCollection<int> blocks, bool norm) =>
        BlockOutputs.Forward(blocks, Config.Depth, wanted => Run(images, wanted, norm));

    /// <summary>The official <c>get_intermediate_layers</c> for the last <paramref name="n"/> blocks.</summary>
    public IReadOnlyList<IntermediateLayer> GetIntermediateLayers(Tensor images, int n, bool reshape = false, bool norm = true) =>
        GetIntermediateLayers(images, BlockOutputs.Last(n, Config.Depth), reshape, norm);

    /// <summary>
    /// The official <c>get_intermediate_layers</c> for a list of block indices; like the official code, outputs
    /// come in block order (each index once). Patch tokens are B×(h·w)×D, or B×D×h×w with <paramref name="reshape"/>.
    /// </summary>
    public IReadOnlyList<IntermediateLayer> GetIntermediateLayers(Tensor images, IReadOnlyCollection<int> blocks, bool reshape = false, bool norm = true)
    {
        using var scope = NewDisposeScope();
        return BlockOutputs.Patches(ForwardBlocks(images, blocks, norm), images, Config.PatchSize, Config.PrefixTokens, reshape)
            .Select(p => new IntermediateLayer(p.Index, p.Patch.MoveToOuterDisposeScope(), p.Tokens[.., 0].MoveToOuterDisposeScope()))
            .ToList();
    }

    /// <summary>
    /// The DINOv2 linear-eval input: class tokens of the last <paramref name="lastBlocks"/> blocks (normalised),
    /// plus the last block's mean patch token with <paramref name="avgPool"/>; float32, B×((n+avgPool)·D).
    /// </summary>
    public Tensor LinearInput(Tensor images, int lastBlocks, bool avgPool)
    {
        using var scope = NewDisposeScope();
        var layers = GetIntermediateLayers(images, lastBlocks);
        return LinearEvalInput.Build(layers, avgPool).MoveToOuterDisposeScope();
    }

    /// <summary>Patch embedding + class token + position embedding + registers (official prepare_tokens_with_masks, no masks).</summary>
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
        x = cat([_clsToken.expand(batch, -1, -1), x], 1);
        x = x + PositionEmbedding.ForGrid(_posEmbed, (int)(height / c.PatchSize), (int)(width / c.PatchSize),
            c.InterpolateOffset, c.InterpolateAntialias);
        if (_registerTokens is not null)
            x = cat([x[.., ..1], _registerTokens.expand(batch, -1, -1), x[.., 1..]], 1);
        return x.MoveToOuterDisposeScope();
    }

    // Blocks up to the deepest wanted one; earlier activations are freed as soon as they are not needed.
    // (Never test tensors with Equals/Contains: TorchSharp's Tensor.Equals is torch.equal, a device-wide compare and sync.)
    private SortedDictionary<int, Tensor> Run(Tensor images, SortedSet<int> wanted, bool norm)
    {
        var outputs = new SortedDictionary<int, Tensor>();
        var x = PrepareTokens(images);
        var xIsOutput = false;
        for (var i = 0; i <= wanted.Max; i++)
        {
            var next = _blocks[i].forward(x);
            if (!xIsOutput) x.Dispose();
            x = next;
            xIsOutput = wanted.Contains(i) && !norm;
            if (wanted.Contains(i)) outputs[i] = norm ? _norm.forward(x) : x;
        }
        if (!xIsOutput) x.Dispose();
        return outputs;
    }
}
