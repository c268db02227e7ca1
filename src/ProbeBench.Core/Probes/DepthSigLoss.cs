using static TorchSharp.torch;

namespace ProbeBench.Core.Probes;

/// <summary>
/// DINOv2's scale-invariant log loss on valid pixels (min &lt; gt &lt; max): g = ln(pred + 0.001) − ln(gt + 0.001),
/// loss = sqrt(var(g) + 0.15·mean(g)²) with the unbiased variance; during warm-up only sqrt(0.15·mean(g)²).
/// </summary>
public static class DepthSigLoss
{
    public const double Epsilon = 1e-3;
    public const double Lambda = 0.15;

    /// <summary>The loss as a scalar tensor, or null when no pixel of <paramref name="groundTruth"/> is valid.</summary>
    public static Tensor? Compute(Tensor predicted, Tensor groundTruth, double minDepth, double maxDepth, bool warmUp)
    {
        using var scope = NewDisposeScope();
        var valid = groundTruth.gt(minDepth).logical_and(groundTruth.lt(maxDepth));
        var pred = predicted.masked_select(valid);
        if (pred.numel() < 2) return null;
        var g = (pred + Epsilon).log() - (groundTruth.masked_select(valid) + Epsilon).log();
        var scale = Lambda * g.mean().square();
        var loss = warmUp ? scale.sqrt() : (g.var() + scale).sqrt();
        return loss.MoveToOuterDisposeScope();
    }
}
