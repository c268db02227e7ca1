using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.Modules;

/// <summary>LayerNorm over the last dimension with loaded weight and bias.</summary>
internal sealed class LayerNorm : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")] private Parameter _weight;
    [ComponentName(Name = "bias")] private Parameter _bias;
    private readonly double _eps;

    public LayerNorm(string name, ParameterSource source, string prefix, double eps) : base(name)
    {
        _weight = source.Take(prefix + ".weight");
        _bias = source.Take(prefix + ".bias");
        _eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        nn.functional.layer_norm(x, [x.shape[^1]], _weight, _bias, _eps);
}
