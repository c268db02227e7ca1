using ProbeBench.Core.Models.Modules;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV2;

/// <summary>Multi-head self-attention (<c>attn.qkv</c>, <c>attn.proj</c>) through scaled_dot_product_attention.</summary>
internal sealed class Attention : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "qkv")] private readonly AffineLinear _qkv;
    [ComponentName(Name = "proj")] private readonly AffineLinear _proj;
    private readonly long _heads;

    /// <param name="proj">The output projection, with the block's ls1 already folded in.</param>
    public Attention(string name, AffineLinear qkv, AffineLinear proj, int heads) : base(name)
    {
        _qkv = qkv;
        _proj = proj;
        _heads = heads;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        long b = x.shape[0], n = x.shape[1], c = x.shape[2];
        // B×N×3C → 3×B×H×N×hd, the official layout; SDPA's default scale is hd^-0.5 like the official code.
        var qkv = _qkv.forward(x).view(b, n, 3, _heads, c / _heads).permute(2, 0, 3, 1, 4);
        var attended = nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2]);
        return _proj.forward(attended.transpose(1, 2).reshape(b, n, c));
    }
}
