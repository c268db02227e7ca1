using ProbeBench.Core.Models.Modules;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using LayerNorm = ProbeBench.Core.Models.Modules.LayerNorm;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV2;

/// <summary>
/// One transformer block: x + ls1(attn(norm1(x))), then x + ls2(mlp(norm2(x))). The layer-scales are folded
/// into attn.proj and the last feed-forward projection, so the forward adds the projections directly.
/// </summary>
internal sealed class Block : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "norm1")] private readonly LayerNorm _norm1;
    [ComponentName(Name = "attn")] private readonly Attention _attn;
    [ComponentName(Name = "ls1")] private readonly LayerScale _ls1;
    [ComponentName(Name = "norm2")] private readonly LayerNorm _norm2;
    [ComponentName(Name = "mlp")] private readonly nn.Module<Tensor, Tensor> _mlp;
    [ComponentName(Name = "ls2")] private readonly LayerScale _ls2;

    public Block(string name, ParameterSource source, string prefix, DinoV2Config config) : base(name)
    {
        _norm1 = new LayerNorm("norm1", source, prefix + "norm1", config.LayerNormEps);
        _attn = new Attention("attn",
            AffineLinear.Load("qkv", source, prefix + "attn.qkv"),
            AffineLinear.LoadScaled("proj", source, prefix + "attn.proj", prefix + "ls1.gamma"),
            config.NumHeads);
        _ls1 = new LayerScale("ls1", source, prefix + "ls1.gamma");
        _norm2 = new LayerNorm("norm2", source, prefix + "norm2", config.LayerNormEps);
        _mlp = config.Ffn == FfnLayer.SwiGluFused
            ? new SwiGluFfn("mlp",
                AffineLinear.Load("w12", source, prefix + "mlp.w12"),
                AffineLinear.LoadScaled("w3", source, prefix + "mlp.w3", prefix + "ls2.gamma"))
            : new Mlp("mlp",
                AffineLinear.Load("fc1", source, prefix + "mlp.fc1"),
                AffineLinear.LoadScaled("fc2", source, prefix + "mlp.fc2", prefix + "ls2.gamma"));
        _ls2 = new LayerScale("ls2", source, prefix + "ls2.gamma");
        RegisterComponents();
    }

    /// <summary>Runs the block in its own dispose scope; only the result survives into the caller's scope.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x + _attn.forward(_norm1.forward(x));
        h.add_(_mlp.forward(_norm2.forward(h)));
        return h.MoveToOuterDisposeScope();
    }
}
