using ProbeBench.Core.Models.Modules;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV3;

/// <summary>The official DINOv3 <c>SwiGLUFFN</c> (<c>mlp.w1</c>, <c>mlp.w2</c>, <c>mlp.w3</c>): w3(SiLU(w1 x) · w2 x). DINOv2's is fused (w12).</summary>
internal sealed class SwiGluFfn : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "w1")] private readonly AffineLinear _w1;
    [ComponentName(Name = "w2")] private readonly AffineLinear _w2;
    [ComponentName(Name = "w3")] private readonly AffineLinear _w3;

    public SwiGluFfn(string name, ParameterSource source, string prefix) : base(name)
    {
        _w1 = AffineLinear.Load("w1", source, prefix + ".w1");
        _w2 = AffineLinear.Load("w2", source, prefix + ".w2");
        _w3 = AffineLinear.Load("w3", source, prefix + ".w3");
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var hidden = nn.functional.silu(_w1.forward(x)).mul_(_w2.forward(x));
        return _w3.forward(hidden).MoveToOuterDisposeScope();
    }
}
