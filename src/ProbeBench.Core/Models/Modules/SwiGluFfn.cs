using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.Modules;

/// <summary>The official <c>SwiGLUFFNFused</c> (<c>mlp.w12</c>, <c>mlp.w3</c>): w3(SiLU(x1) · x2) with [x1, x2] = w12(x).</summary>
internal sealed class SwiGluFfn : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "w12")] private readonly AffineLinear _w12;
    [ComponentName(Name = "w3")] private readonly AffineLinear _w3;

    public SwiGluFfn(string name, AffineLinear w12, AffineLinear w3) : base(name)
    {
        _w12 = w12;
        _w3 = w3;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var halves = _w12.forward(x).chunk(2, -1);
        return _w3.forward(nn.functional.silu(halves[0]) * halves[1]);
    }
}
