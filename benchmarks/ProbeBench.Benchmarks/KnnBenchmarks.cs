using BenchmarkDotNet.Attributes;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Probes;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Benchmarks;

/// <summary>
/// DINOv2 k-NN (k = 10, 20, 100, 200 from one top-200 search) of 10,000 test rows against 50,000 train rows of
/// 384-d random features (10 classes) on CPU, float32, end to end: host arrays in, one ClassScores per k out.
/// The reference point measured elsewhere is torch on an H100: 8.2 ms.
/// </summary>
public class KnnBenchmarks
{
    private const int TrainRows = 50_000;
    private const int TestRows = 10_000;
    private const int Dim = 384;
    private const int Classes = 10;

    private FeatureSet train = null!;
    private FeatureSet test = null!;

    /// <summary>The similarity-block bound: 2^25 elements (the default, 671 test rows a chunk) and 2^27.</summary>
    [Params(1L << 25, 1L << 27)]
    public long MaxSimilarityElements { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        var random = new Random(0);
        train = RandomSet(TrainRows, random);
        test = RandomSet(TestRows, random);
    }

    [Benchmark(Description = "k-NN 10,000 x 50,000 x 384, CPU fp32")]
    public KnnResult Knn() =>
        KnnClassifier.Classify(train, test, new KnnOptions { MaxSimilarityElements = MaxSimilarityElements });

    private static FeatureSet RandomSet(int rows, Random random)
    {
        var values = new float[rows * Dim];
        for (var i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        var labels = Enumerable.Range(0, rows).Select(_ => random.Next(Classes)).ToArray();
        return new FeatureSet(values, rows, Dim, labels, Classes);
    }
}
