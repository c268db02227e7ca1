using ProbeBench.Core.Results;

namespace ProbeBench.Core.Heads.Dense;

/// <summary>
/// Takes a dense probe's predicted batches, reads the batch's ground truth from the test split's labels entry, hands each
/// image's (prediction, truth) to the head's scoring, and keeps the first <see cref="DenseRows.Examples"/> images for the
/// example figure.
/// </summary>
internal sealed class DensePredictionReader<T>(DenseSplit test, int batchSize, Action<ReadOnlySpan<T>, ReadOnlySpan<float>> score,
    Func<T, float> asFloat)
{
    private readonly int _pixels = test.Targets.Height * test.Targets.Width;
    private readonly float[] _truth = new float[(long)batchSize * test.Targets.Height * test.Targets.Width];

    public List<DenseExample> Examples { get; } = [];

    public void OnBatch(long[] images, T[] predicted)
    {
        var rows = images.Select(i => (int)i).ToArray();
        var labels = _truth.AsSpan(0, rows.Length * _pixels);
        test.Labels.Read(rows, labels);
        for (var n = 0; n < rows.Length; n++)
        {
            var gt = labels.Slice(n * _pixels, _pixels);
            var map = predicted.AsSpan(n * _pixels, _pixels);
            score(map, gt);
            if (rows[n] < DenseRows.Examples)
            {
                var asFloats = new float[_pixels];
                for (var p = 0; p < _pixels; p++) asFloats[p] = asFloat(map[p]);
                Examples.Add(new DenseExample(test.Image?.Invoke(rows[n]), gt.ToArray(), asFloats, test.Targets.Height, test.Targets.Width));
            }
        }
    }
}
