using BenchmarkDotNet.Attributes;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Probes;
using ProbeBench.Core.Runtime;
using static TorchSharp.torch;

namespace ProbeBench.Benchmarks;

/// <summary>
/// DINOv2 k-NN (k = 10, 20, 100, 200 from one top-200 search) of 10,000 test rows against 50,000 train rows of
/// 384-d random features (10 classes) on CPU, end to end: host arrays in, one ClassScores per k out.
/// <list type="bullet">
/// <item><c>Floor</c> (the baseline): what any exact float32 search must at least do, a TorchSharp matmul of the same
/// shapes on already normalised tensors plus top-200, in the default chunks (671 test rows).</item>
/// <item><c>Plain</c>: <see cref="KnnScreening.Off"/>, the search as it was before bf16 screening.</item>
/// <item><c>Screened</c>: <see cref="KnnScreening.Auto"/>, bf16-screened where the CPU has native bf16 products.</item>
/// </list>
/// Read the ratios of one run: <c>dotnet run -c Release --project benchmarks/ProbeBench.Benchmarks -- --filter '*Knn*' --job short --inProcess</c>.
/// </summary>
public class KnnBenchmarks
{
    private const int TrainRows = 50_000;
    private const int TestRows = 10_000;
    private const int Dim = 384;
    private const int Classes = 10;
    private const int MaxK = 200;

    private FeatureSet train = null!;
    private FeatureSet test = null!;
    private Tensor trainUnit = null!;
    private Tensor testUnit = null!;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        var random = new Random(0);
        train = RandomSet(TrainRows, random);
        test = RandomSet(TestRows, random);
        trainUnit = nn.functional.normalize(tensor(train.Values, [TrainRows, Dim]), p: 2, dim: 1);
        testUnit = nn.functional.normalize(tensor(test.Values, [TestRows, Dim]), p: 2, dim: 1);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        trainUnit.Dispose();
        testUnit.Dispose();
    }

    [Benchmark(Baseline = true, Description = "floor: fp32 matmul + top-200, 10,000 x 50,000 x 384")]
    public long Floor()
    {
        var chunk = (int)((1L << 25) / TrainRows);
        long checksum = 0;
        for (var start = 0; start < TestRows; start += chunk)
        {
            using var scope = NewDisposeScope();
            var similarity = mm(testUnit.narrow(0, start, Math.Min(chunk, TestRows - start)), trainUnit.t());
            var (_, index) = similarity.topk(MaxK, dim: 1, largest: true, sorted: true);
            checksum += index[0, 0].item<long>();
        }
        return checksum;
    }

    [Benchmark(Description = "k-NN plain (screening off), CPU fp32")]
    public KnnResult Plain() => KnnClassifier.Classify(train, test, new KnnOptions { Screening = KnnScreening.Off });

    [Benchmark(Description = "k-NN default (bf16 screen where native), CPU fp32")]
    public KnnResult Screened() => KnnClassifier.Classify(train, test);

    private static FeatureSet RandomSet(int rows, Random random)
    {
        var values = new float[rows * Dim];
        for (var i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        var labels = Enumerable.Range(0, rows).Select(_ => random.Next(Classes)).ToArray();
        return new FeatureSet(values, rows, Dim, labels, Classes);
    }
}
