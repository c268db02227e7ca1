using static TorchSharp.torch;

namespace ProbeBench.Tests.Models;

internal static class TensorComparison
{
    /// <summary>max|ours − ref| / max|ref|, in float64.</summary>
    public static double RelativeMaxError(Tensor ours, Tensor reference)
    {
        Assert.Equal(reference.shape, ours.shape);
        if (reference.numel() == 0) return 0;
        using var scope = NewDisposeScope();
        var r = reference.to(float64);
        var o = ours.to(float64);
        var scale = r.abs().max().item<double>();
        var diff = (o - r).abs().max().item<double>();
        return scale == 0 ? diff : diff / scale;
    }

    /// <summary>Same shape and exactly the same values.</summary>
    public static bool Identical(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape)) return false;
        using var equal = a.eq(b).all();
        return equal.item<bool>();
    }
}
