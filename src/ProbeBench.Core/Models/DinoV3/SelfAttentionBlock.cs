using ProbeBench.Core.Models.Modules;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using LayerNorm = ProbeBench.Core.Models.Modules.LayerNorm;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV3;

/// <summary>One official <c>SelfAttentionBlock</c> at inference: x + ls1(attn(norm1(x), rope)), then + ls2(mlp(norm2(·))).</summary>
internal sealed class SelfAttentionBlock : nn.Module
{
    [ComponentName(Name = "norm1")] private readonly LayerNorm _norm1;
    [ComponentName(Name = "attn")] private readonly SelfAttention _attn;
    [ComponentName(Name = "ls1")] private readonly LayerScale? _ls1;
    [ComponentName(Name = "norm2")] private readonly LayerNorm _norm2;
    [ComponentName(Name = "mlp")] private readonly nn.Module<Tensor, Tensor> _mlp;
    [ComponentName(Name = "ls2")] private readonly LayerScale? _ls2;

    public SelfAttentionBlock(string name, ParameterSource source, string prefix, DinoV3Config config) : base(name)
    {
        _norm1 = new LayerNorm("norm1", source, prefix + "norm1", config.LayerNormEps);
        _attn = new SelfAttention("attn", source, prefix + "attn", config);
        _ls1 = config.LayerScale ? new LayerScale("ls1", source, prefix + "ls1.gamma") : null;
        _norm2 = new LayerNorm("norm2", source, prefix + "norm2", config.LayerNormEps);
        _mlp = config.IsSwiGlu
            ? new SwiGluFfn("mlp", source, prefix + "mlp")
            : new Mlp("mlp", AffineLinear.Load("fc1", source, prefix + "mlp.fc1"), AffineLinear.Load("fc2", source, prefix + "mlp.fc2"));
        _ls2 = config.LayerScale ? new LayerScale("ls2", source, prefix + "ls2.gamma") : null;
        RegisterComponents();
    }

    /// <summary>Runs the block in its own dispose scope; only the result survives into the caller's scope.</summary>
    public Tensor Forward(Tensor x, RopeSinCos rope)
    {
        using var scope = NewDisposeScope();
        var h = Residual(x, _attn.Forward(_norm1.forward(x), rope), _ls1);
        h = Residual(h, _mlp.forward(_norm2.forward(h)), _ls2);
        return h.MoveToOuterDisposeScope();
    }

    private static Tensor Residual(Tensor x, Tensor branch, LayerScale? scale) => scale is null ? branch.add_(x) : scale.AddScaled(x, branch);
}
