using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.Modules;

/// <summary>
/// Turns checkpoint tensors into frozen parameters. A parameter shares the checkpoint tensor's storage when
/// neither dtype nor device changes (no second copy of the weights); the caller may dispose its state dict.
/// </summary>
internal sealed class ParameterSource(IReadOnlyDictionary<string, Tensor> tensors, ScalarType? dtype, Device? device)
{
    public Tensor Raw(string key) => tensors[key];

    public Parameter Take(string key) => Wrap(tensors[key].detach());

    /// <summary>A parameter computed from checkpoint tensors (e.g. a folded layer-scale) in float32, then converted.</summary>
    public Parameter Computed(Func<Tensor> compute)
    {
        using var scope = NewDisposeScope();
        var value = compute();
        return Wrap(value.MoveToOuterDisposeScope());
    }

    private Parameter Wrap(Tensor tensor)
    {
        var target = tensor;
        if ((dtype is { } d && target.dtype != d) || (device is { } dev && target.device != dev))
        {
            target = tensor.to(dtype ?? tensor.dtype, device ?? tensor.device);
            tensor.Dispose();
        }
        target.DetachFromDisposeScope();
        return new Parameter(target, requires_grad: false);
    }
}
