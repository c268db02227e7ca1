using ProbeBench.Core.Models.Modules;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV3;

/// <summary>
/// The official <c>ls1</c>/<c>ls2</c> (key <c>gamma</c>), applied as the official code does: the residual branch times γ.
/// Unlike DINOv2 here, γ is not folded into the projections, so every weight stays a view of the checkpoint's tensor
/// (a ViT-7B is not held twice while it loads).
/// </summary>
internal sealed class LayerScale : nn.Module
{
    [ComponentName(Name = "gamma")] private Parameter _gamma;

    public LayerScale(string name, ParameterSource source, string key) : base(name)
    {
        _gamma = source.Take(key);
        RegisterComponents();
    }

    /// <summary><paramref name="x"/> + <paramref name="branch"/> · γ, computed in place in <paramref name="branch"/> (which the caller gives up).</summary>
    public Tensor AddScaled(Tensor x, Tensor branch) => branch.mul_(_gamma).add_(x);
}
