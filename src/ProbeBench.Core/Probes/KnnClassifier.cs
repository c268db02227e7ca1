using ProbeBench.Core.Kernel;
using ProbeBench.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeBench.Core.Probes;

/// <summary>
/// The DINOv2 weighted k-NN classifier: train and test features are L2-normalised, each test row's
/// max(k) most cosine-similar train rows are found in one top-k search, and each neighbour votes for its
/// label with weight exp(similarity / T) (softmax over the neighbours, as DINOv2 does; the common
/// normaliser does not change any ranking). Votes for every k come from that one search.
/// </summary>
/// <remarks>
/// Memory: the normalised train matrix (train × dim) stays on the device; test rows go through in chunks
/// so the similarity block never exceeds <see cref="KnnOptions.MaxSimilarityElements"/> elements
/// (plus chunk × max(k) neighbour indices/weights and chunk × classes votes per k).
/// </remarks>
public static class KnnClassifier
{
    public static KnnResult Classify(FeatureSet train, FeatureSet test, KnnOptions? options = null)
    {
        options ??= new KnnOptions();
        CheckInputs(train, test, options);
        var device = TorchRuntime.ResolveDevice(options.Device);
        var dtype = options.DoublePrecision ? ScalarType.Float64 : ScalarType.Float32;
        var ks = options.Ks.Select(k => Math.Min(k, train.Rows)).ToArray();
        var maxK = ks.Max();
        var classes = train.ClassCount;
        var votes = options.Ks.Select(_ => new float[(long)test.Rows * classes]).ToArray();
        var chunkRows = (int)Math.Clamp(options.MaxSimilarityElements / train.Rows, 1, test.Rows);

        using var outer = NewDisposeScope();
        var trainFeatures = Normalized(train, dtype, device);
        var trainLabels = tensor(train.Labels.Select(l => (long)l).ToArray(), device: device);
        var testFeatures = Normalized(test, dtype, device);

        for (var start = 0; start < test.Rows; start += chunkRows)
        {
            using var scope = NewDisposeScope();
            var rows = Math.Min(chunkRows, test.Rows - start);
            var similarity = mm(testFeatures.narrow(0, start, rows), trainFeatures.t());
            var (topSimilarity, topIndex) = similarity.topk(maxK, dim: 1, largest: true, sorted: true);
            var neighbourLabels = trainLabels.index_select(0, topIndex.flatten()).view(rows, maxK);
            var weights = (topSimilarity / options.Temperature).softmax(1);
            for (var i = 0; i < ks.Length; i++)
            {
                var k = ks[i];
                var chunkVotes = zeros(rows, classes, dtype, device)
                    .scatter_add_(1, neighbourLabels.narrow(1, 0, k), weights.narrow(1, 0, k));
                var host = TensorCopy.ToArray<float>(chunkVotes.to(ScalarType.Float32));
                Array.Copy(host, 0, votes[i], (long)start * classes, host.Length);
            }
        }

        var scores = votes.Select(v => new ClassScores(v, test.Rows, classes, AreProbabilities: false)).ToArray();
        return new KnnResult(options.Ks.ToArray(), scores);
    }

    private static Tensor Normalized(FeatureSet set, ScalarType dtype, Device device)
    {
        using var raw = tensor(set.Values, [set.Rows, set.Dim]);
        return nn.functional.normalize(raw.to(dtype, device), p: 2, dim: 1);
    }

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
    }
}
