using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.Modules;

/// <summary>
/// The official <c>ls1</c>/<c>ls2</c> (key <c>gamma</c>), kept so the module tree mirrors the checkpoint. DINOv2 folds
/// <see cref="Gamma"/> into the preceding projection at load time, so there it takes no part in the forward pass; DINOv3
/// applies it as the official code does (<see cref="AddScaled"/>), so every weight stays a view of the checkpoint's tensor
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

    public Tensor Gamma => _gamma;

    /// <summary><paramref name="x"/> + <paramref name="branch"/> · γ, computed in place in <paramref name="branch"/> (which the caller gives up).</summary>
    public Tensor AddScaled(Tensor x, Tensor branch) => branch.mul_(_gamma).add_(x);
}
