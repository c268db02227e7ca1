using ProbeBench.Core.Kernel;
using ProbeBench.Core.Runtime;
using static TorchSharp.torch;

namespace ProbeBench.Core.Probes;

/// <summary>
/// A trained linear classifier: <see cref="Weight"/> is ClassCount × Dim row-major, <see cref="Bias"/> one
/// value per class. <see cref="Predict"/> gives softmax probabilities.
/// </summary>
public sealed record LinearProbeModel(string FeatureName, float[] Weight, float[] Bias, int Dim, int ClassCount)
{
    public ClassScores Predict(FeatureSet features)
    {
        features.Validate($"linear probe input '{FeatureName}'");
        if (features.Dim != Dim)
            throw new ProbeBenchException($"linear probe input '{FeatureName}' has {features.Dim} feature dimensions but the probe was trained on {Dim}.");
        Runtime.TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var x = tensor(features.Values, [features.Rows, Dim]);
        var w = tensor(Weight, [ClassCount, Dim]);
        var b = tensor(Bias, [ClassCount]);
        var probabilities = addmm(b, x, w.t(), 1, 1).softmax(1);
        return new ClassScores(TensorCopy.ToArray<float>(probabilities), features.Rows, ClassCount, AreProbabilities: true);
    }
}
