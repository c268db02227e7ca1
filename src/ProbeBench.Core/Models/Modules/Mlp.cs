using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.Modules;

/// <summary>The official <c>mlp</c>: fc1 → GELU (exact) → fc2.</summary>
internal sealed class Mlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "fc1")] private readonly AffineLinear _fc1;
    [ComponentName(Name = "fc2")] private readonly AffineLinear _fc2;

    public Mlp(string name, AffineLinear fc1, AffineLinear fc2) : base(name)
    {
        _fc1 = fc1;
        _fc2 = fc2;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => _fc2.forward(nn.functional.gelu(_fc1.forward(x)));
}
