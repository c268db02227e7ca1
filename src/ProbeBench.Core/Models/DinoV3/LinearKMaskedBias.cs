using ProbeBench.Core.Models.Modules;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV3;

/// <summary>
/// The official <c>attn.qkv</c>: a linear layer whose bias is multiplied by the <c>bias_mask</c> buffer on every call
/// (the checkpoints' mask zeroes the k third), or one without a bias at all (ViT-7B). Runs as addmm on a 2-D view.
/// </summary>
internal sealed class LinearKMaskedBias : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")] private Parameter _weight;
    [ComponentName(Name = "bias")] private Parameter? _bias;
    [ComponentName(Name = "bias_mask")] private Tensor? _biasMask;

    public LinearKMaskedBias(string name, ParameterSource source, string prefix, bool bias, bool biasMask) : base(name)
    {
        _weight = source.Take(prefix + ".weight");
        if (bias)
        {
            _bias = source.Take(prefix + ".bias");
            if (biasMask) _biasMask = AsBuffer(source.Take(prefix + ".bias_mask"));
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var shape = x.shape;
        var x2d = x.reshape(-1, shape[^1]);
        using var scope = NewDisposeScope();
        var y = _bias is null
            ? x2d.matmul(_weight.t())
            : addmm(_biasMask is null ? _bias : _bias * _biasMask.to(_bias.dtype), x2d, _weight.t(), 1, 1);
        shape[^1] = _weight.shape[0];
        return y.view(shape).MoveToOuterDisposeScope();
    }

    // A buffer, not a parameter: a second handle on the same storage (the parameter handle is let go).
    private static Tensor AsBuffer(Parameter parameter)
    {
        using (parameter)
            return parameter.detach().DetachFromDisposeScope();
    }
}
