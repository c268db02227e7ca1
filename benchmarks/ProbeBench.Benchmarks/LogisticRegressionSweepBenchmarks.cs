using BenchmarkDotNet.Attributes;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Probes;

namespace ProbeBench.Benchmarks;

/// <summary>
/// The DINOv2 logistic-regression protocol (45 C values on a stratified 10% validation split, then the refit) on 1,000 × 384
/// synthetic features shaped like real ones: 10 Gaussian class clusters with per-dimension scales spread over two decades
/// (10^U(-1, 1)), which is what makes the large-C fits slow. <c>WarmStartChains</c> = 0 is the sweep as it was before warm
/// starts (every C from zero, one per core, the refit's gradient cut into one chunk per core and run after the sweep: the
/// baseline); 1, 2 (the default) and 4 warm-start chains with the default fixed refit chunks and early refit, each with
/// fits started from the chain's last solution and extrapolated from its last two (<c>ExtrapolateStarts</c>; the cold row ignores it).
/// </summary>
public class LogisticRegressionSweepBenchmarks
{
    private const int Rows = 1_000;
    private const int Dim = 384;
    private const int Classes = 10;

    private FeatureSet train = null!;

    [Params(0, 1, 2, 4)]
    public int WarmStartChains { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(0);
        var centres = new double[Classes * Dim];
        for (var i = 0; i < centres.Length; i++) centres[i] = (random.NextDouble() * 2 - 1) * 0.3;
        var scales = Enumerable.Range(0, Dim).Select(_ => Math.Pow(10, random.NextDouble() * 2 - 1)).ToArray();
        var labels = Enumerable.Range(0, Rows).Select(_ => random.Next(Classes)).ToArray();
        var values = new float[Rows * Dim];
        for (var r = 0; r < Rows; r++)
            for (var j = 0; j < Dim; j++)
                values[r * Dim + j] = (float)((centres[labels[r] * Dim + j] + Gaussian(random)) * scales[j]);
        train = new FeatureSet(values, Rows, Dim, labels, Classes);
    }

    /// <summary>False starts each warm fit from the chain's last solution (the first warm starts), true extrapolates (the default).</summary>
    [Params(false, true)]
    public bool ExtrapolateStarts { get; set; }

    [Benchmark(Description = "LR sweep, 45 C values + refit, 1,000 x 384")]
    public double Sweep() => LogisticRegressionProbe.Sweep(train, WarmStartChains == 0
        ? new LogisticRegressionOptions(WarmStartChains: 0, FitThreads: 0, EarlyRefit: false)
        : new LogisticRegressionOptions(WarmStartChains: WarmStartChains, ExtrapolateStarts: ExtrapolateStarts)).BestC;

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
