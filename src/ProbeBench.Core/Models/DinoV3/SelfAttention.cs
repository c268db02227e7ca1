using ProbeBench.Core.Models.Modules;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV3;

/// <summary>
/// The official DINOv3 <c>SelfAttention</c> (<c>attn.qkv</c>, <c>attn.proj</c>): q and k of the patch tokens rotated by
/// RoPE, then scaled_dot_product_attention with its default scale head_dim^-0.5.
/// </summary>
internal sealed class SelfAttention : nn.Module
{
    [ComponentName(Name = "qkv")] private readonly LinearKMaskedBias _qkv;
    [ComponentName(Name = "proj")] private readonly AffineLinear _proj;
    private readonly long _heads;

    public SelfAttention(string name, ParameterSource source, string prefix, DinoV3Config config) : base(name)
    {
        _qkv = new LinearKMaskedBias("qkv", source, prefix + ".qkv", config.QkvBias, config.HasBiasMask);
        _proj = AffineLinear.Load("proj", source, prefix + ".proj");
        _heads = config.NumHeads;
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, RopeSinCos rope)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], n = x.shape[1], c = x.shape[2];
        // B×N×3C → 3×B×heads×N×head_dim, the official reshape/unbind/transpose; q and k are rotated together.
        var qkv = _qkv.forward(x).view(b, n, 3, _heads, c / _heads).permute(2, 0, 3, 1, 4);
        var qk = RopeEmbedding.Apply(qkv[..2], rope);
        var attended = nn.functional.scaled_dot_product_attention(qk[0], qk[1], qkv[2]);
        return _proj.forward(attended.transpose(1, 2).reshape(b, n, c)).MoveToOuterDisposeScope();
    }
}
