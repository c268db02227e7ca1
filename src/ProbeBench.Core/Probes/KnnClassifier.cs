using ProbeBench.Core.Kernel;
using ProbeBench.Core.Runtime;
using TorchSharp;

namespace ProbeBench.Core.Probes;

/// <summary>
/// The DINOv2 weighted k-NN classifier: train and test features are L2-normalised, each test row's
/// max(k) most cosine-similar train rows are found in one search, and each neighbour votes for its
/// label with weight exp(similarity / T) (softmax over the max(k) neighbours, as DINOv2 does; the common
/// normaliser does not change any ranking). Votes for every k come from that one search.
/// </summary>
/// <remarks>
/// Two searches give the same neighbours (<see cref="KnnScreening"/>): the plain one
/// (<see cref="KnnClassifierPlainSearch"/>: one matmul in the compute precision, then top-k) and, on a CPU with
/// native bf16 products, a bf16 screen whose candidates are rescored exactly
/// (<see cref="KnnClassifierScreenedSearch"/>), about twice as fast. Memory: the normalised train matrix stays
/// on the device; test rows go through in chunks so the similarity block never exceeds
/// <see cref="KnnOptions.MaxSimilarityElements"/> elements.
/// </remarks>
public static class KnnClassifier
{
    /// <param name="progress">After each block of test rows: test rows done, test rows in all.</param>
    /// <param name="cancellation">Checked before every block of test rows.</param>
    public static KnnResult Classify(FeatureSet train, FeatureSet test, KnnOptions? options = null, Action<int, int>? progress = null,
        CancellationToken cancellation = default)
    {
        options ??= new KnnOptions();
        CheckInputs(train, test, options);
        var device = TorchRuntime.ResolveDevice(options.Device);
        var query = new KnnQuery(train, test, options) { Progress = progress, Cancellation = cancellation };
        if (Screens(options, device))
        {
            // A bound the hardware did not keep (seen on a rescored candidate) means the screen cannot be trusted here.
            if (KnnClassifierScreenedSearch.TryRun(query, out var screened)) return screened;
        }
        return KnnClassifierPlainSearch.Run(query, device);
    }

    /// <summary>Whether <paramref name="options"/> choose the bf16-screened search on <paramref name="device"/>.</summary>
    public static bool Screens(KnnOptions options, torch.Device device) => options.Screening switch
    {
        KnnScreening.Bf16 => true,
        KnnScreening.Off => false,
        _ => device.type == DeviceType.CPU && !options.DoublePrecision && CpuFeatures.NativeBf16,
    };

    private static void CheckInputs(FeatureSet train, FeatureSet test, KnnOptions options)
    {
        ProbeInputChecks.Train(train, "k-NN train features");
        ProbeInputChecks.Compatible(train, "k-NN train features", test, "k-NN test features");
        if (options.Ks.Count == 0 || options.Ks.Any(k => k <= 0))
            throw new ProbeBenchException($"k-NN option Ks must list positive neighbour counts, got [{string.Join(", ", options.Ks)}].");
        if (!(options.Temperature > 0) || !double.IsFinite(options.Temperature))
            throw new ProbeBenchException($"k-NN option Temperature must be a positive number, got {options.Temperature}.");
        if (options.MaxSimilarityElements <= 0)
            throw new ProbeBenchException($"k-NN option MaxSimilarityElements must be positive, got {options.MaxSimilarityElements}.");
        if (options.Screening == KnnScreening.Bf16 && options.DoublePrecision)
            throw new ProbeBenchException("k-NN options Screening = Bf16 and DoublePrecision exclude each other (the screen rescores in float64 already).");
    }
}

/// <summary>One classification's inputs, with the neighbour counts clipped to the train size.</summary>
internal sealed record KnnQuery(FeatureSet Train, FeatureSet Test, KnnOptions Options)
{
    public int[] Ks { get; } = Options.Ks.Select(k => Math.Min(k, Train.Rows)).ToArray();

    public int MaxK => Ks.Max();

    public int Classes => Train.ClassCount;

    public Action<int, int>? Progress { get; init; }

    public CancellationToken Cancellation { get; init; }

    /// <summary>Test rows per similarity block.</summary>
    public int ChunkRows => (int)Math.Clamp(Options.MaxSimilarityElements / Train.Rows, 1, Test.Rows);

    public KnnResult Result(float[][] votes, string method) =>
        new(Options.Ks.ToArray(), votes.Select(v => new ClassScores(v, Test.Rows, Classes, AreProbabilities: false)).ToArray()) { Method = method };
}
