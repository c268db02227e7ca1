namespace ProbeBench.Core.Metrics;

/// <summary>What every classification head reports on a test set.</summary>
/// <param name="Top1">Fraction of samples whose highest score is their label.</param>
/// <param name="Top1CiLow">Lower end of the bootstrap 95% interval of <paramref name="Top1"/>.</param>
/// <param name="Top1CiHigh">Upper end of that interval.</param>
/// <param name="Top5">Fraction whose label is among the five highest scores (1 when there are at most five classes).</param>
/// <param name="BalancedAccuracy">Mean of the per-class accuracies over classes present in the test set.</param>
/// <param name="PerClassAccuracy">Accuracy per class (NaN for a class absent from the test set).</param>
/// <param name="Confusion">Counts, row-major: true class × predicted class.</param>
/// <param name="LogLoss">Mean negative log-probability of the label, when the scores are probabilities.</param>
public sealed record ClassificationMetrics(
    int Samples,
    int ClassCount,
    double Top1,
    double Top1CiLow,
    double Top1CiHigh,
    double Top5,
    double BalancedAccuracy,
    IReadOnlyList<double> PerClassAccuracy,
    IReadOnlyList<int> Confusion,
    double? LogLoss,
    int BootstrapSamples,
    int BootstrapSeed)
{
    public int ConfusionAt(int trueClass, int predictedClass) => Confusion[trueClass * ClassCount + predictedClass];
}

/// <summary>How the bootstrap confidence interval is drawn.</summary>
public sealed record BootstrapOptions(int Samples = 1000, int Seed = 0, double Confidence = 0.95);
