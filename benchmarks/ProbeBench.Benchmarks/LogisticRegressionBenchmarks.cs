using BenchmarkDotNet.Attributes;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Probes;

namespace ProbeBench.Benchmarks;

/// <summary>
/// One logistic-regression fit (ML.NET L-BFGS, C = 1, all cores) on 50,000 × 384 synthetic features, 10 Gaussian
/// class clusters. The reference point measured elsewhere is scikit-learn (lbfgs) on 16 cores: 0.76 s.
/// </summary>
public class LogisticRegressionBenchmarks
{
    private const int Rows = 50_000;
    private const int Dim = 384;
    private const int Classes = 10;

    private FeatureSet train = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(0);
        var centres = new float[Classes * Dim];
        for (var i = 0; i < centres.Length; i++) centres[i] = (float)(random.NextDouble() * 2 - 1) * 0.2f;
        var labels = Enumerable.Range(0, Rows).Select(_ => random.Next(Classes)).ToArray();
        var values = new float[Rows * Dim];
        for (var r = 0; r < Rows; r++)
            for (var j = 0; j < Dim; j++)
                values[r * Dim + j] = centres[labels[r] * Dim + j] + (float)Gaussian(random);
        train = new FeatureSet(values, Rows, Dim, labels, Classes);
    }

    [Benchmark(Description = "LR fit 50,000 x 384, 10 classes, C = 1")]
    public LogisticRegressionModel Fit() => LogisticRegressionProbe.Fit(train, 1.0);

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
