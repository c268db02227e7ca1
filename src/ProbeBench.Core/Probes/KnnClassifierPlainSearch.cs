using ProbeBench.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeBench.Core.Probes;

/// <summary>
/// The plain k-NN search: per test chunk one similarity matmul in the compute precision (float32, or float64
/// with <see cref="KnnOptions.DoublePrecision"/>), top-max(k), softmax weights and per-k votes, all in libtorch
/// on the chosen device.
/// </summary>
internal static class KnnClassifierPlainSearch
{
    public const string Method = "plain";

    public static KnnResult Run(KnnQuery query, Device device)
    {
        var (train, test, options) = (query.Train, query.Test, query.Options);
        var dtype = options.DoublePrecision ? ScalarType.Float64 : ScalarType.Float32;
        var (ks, maxK, classes, chunkRows) = (query.Ks, query.MaxK, query.Classes, query.ChunkRows);
        var votes = ks.Select(_ => new float[(long)test.Rows * classes]).ToArray();

        using var outer = NewDisposeScope();
        var trainFeatures = Normalized(train.Values, train.Rows, train.Dim, dtype, device);
        var trainLabels = tensor(train.Labels.Select(l => (long)l).ToArray(), device: device);
        var testFeatures = Normalized(test.Values, test.Rows, test.Dim, dtype, device);

        for (var start = 0; start < test.Rows; start += chunkRows)
        {
            query.Cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var rows = Math.Min(chunkRows, test.Rows - start);
            var similarity = mm(testFeatures.narrow(0, start, rows), trainFeatures.t());
            var (topSimilarity, topIndex) = similarity.topk(maxK, dim: 1, largest: true, sorted: true);
            var neighbourLabels = trainLabels.index_select(0, topIndex.flatten()).view(rows, maxK);
            var weights = (topSimilarity / options.Temperature).softmax(1);
            for (var i = 0; i < ks.Length; i++)
            {
                var chunkVotes = zeros(rows, classes, dtype, device)
                    .scatter_add_(1, neighbourLabels.narrow(1, 0, ks[i]), weights.narrow(1, 0, ks[i]));
                var host = TensorCopy.ToArray<float>(chunkVotes.to(ScalarType.Float32));
                Array.Copy(host, 0, votes[i], (long)start * classes, host.Length);
            }
            query.Progress?.Invoke(start + rows, test.Rows);
        }
        return query.Result(votes, Method);
    }

    /// <summary>Rows scaled to unit L2 norm in <paramref name="dtype"/> (a zero row stays zero), on <paramref name="device"/>.</summary>
    public static Tensor Normalized(float[] values, int rows, int dim, ScalarType dtype, Device device)
    {
        using var raw = tensor(values, [rows, dim]);
        return nn.functional.normalize(raw.to(dtype, device), p: 2, dim: 1);
    }
}
