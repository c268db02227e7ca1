using BenchmarkDotNet.Attributes;
using ProbeBench.Core.Probes;

namespace ProbeBench.Benchmarks;

/// <summary>
/// One logistic-regression fit (ML.NET L-BFGS, C = 1) on 50,000 × 384 synthetic features, 10 classes.
/// Reference measured elsewhere: scikit-learn on 16 cores, 0.76 s.
/// </summary>
public class LogisticRegressionBenchmarks
{
    private FeatureSet train = null!;

    [GlobalSetup]
    public void Setup()
    {
        const int rows = 50_000, dim = 384, classes = 10;
        var random = new Random(0);
        var centers = Enumerable.Range(0, classes * dim).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var labels = Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray();
        var values = new float[rows * dim];
        for (var r = 0; r < rows; r++)
            for (var j = 0; j < dim; j++)
                values[r * dim + j] = centers[labels[r] * dim + j] + (float)(random.NextDouble() * 4 - 2);
        train = new FeatureSet(values, rows, dim, labels, classes);
    }

    [Benchmark(Description = "LR fit 50,000 × 384, 10 classes, C = 1")]
    public LogisticRegressionModel Fit() => LogisticRegressionProbe.Fit(train, 1.0);
}
