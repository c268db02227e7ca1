using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.Modules;

/// <summary>
/// The official <c>ls1</c>/<c>ls2</c> (key <c>gamma</c>), kept so the module tree mirrors the checkpoint.
/// Its factor is folded into the preceding projection at load time, so it takes no part in the forward pass.
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
}
