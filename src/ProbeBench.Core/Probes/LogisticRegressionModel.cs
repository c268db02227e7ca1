using ProbeBench.Core.Kernel;
namespace ProbeBench.Core.Probes;

/// <summary>A fitted multinomial logistic regression: class scores are softmax(W·x + b).</summary>
public sealed class LogisticRegressionModel(float[] weights, float[] biases, int dim, int classCount, FeatureScaler? scaler, double c)
{
    public double C => c;
    public int Dim => dim;
    public int ClassCount => classCount;

    public ClassScores Predict(FeatureSet set) => Predict(set, null);

    /// <summary>scikit-learn's objective at this model's C: C · Σ log-loss over <paramref name="set"/> + ½‖W‖² (biases unpenalised).</summary>
    public double Objective(FeatureSet set)
    {
        var scores = Predict(set);
        var loss = 0.0;
        for (var r = 0; r < set.Rows; r++) loss -= Math.Log(Math.Max(scores.Row(r)[set.Labels[r]], float.Epsilon));
        var squared = 0.0;
        foreach (var w in weights) squared += (double)w * w;
        return c * loss + 0.5 * squared;
    }

    /// <summary>Scores the given rows of <paramref name="set"/> (all rows when null) without copying them out.</summary>
    internal ClassScores Predict(FeatureSet set, IReadOnlyList<int>? rows)
    {
        if (set.Dim != dim) throw new ProbeBenchException($"The logistic regression was fitted on {dim}-dim features; got {set.Dim}.");
        var count = rows?.Count ?? set.Rows;
        var probabilities = new float[count * classCount];
        Parallel.For(0, count, () => (Logits: new double[classCount], X: new float[dim]), (i, _, buffers) =>
        {
            var (logits, x) = buffers;
            var source = set.Row(rows is null ? i : rows[i]);
            if (scaler is null) source.CopyTo(x);
            else scaler.Apply(source, x);
            var max = double.NegativeInfinity;
            for (var k = 0; k < classCount; k++)
            {
                double z = biases[k];
                var w = weights.AsSpan(k * dim, dim);
                for (var j = 0; j < dim; j++) z += w[j] * x[j];
                logits[k] = z;
                max = Math.Max(max, z);
            }
            double sum = 0;
            for (var k = 0; k < classCount; k++) sum += logits[k] = Math.Exp(logits[k] - max);
            for (var k = 0; k < classCount; k++) probabilities[i * classCount + k] = (float)(logits[k] / sum);
            return buffers;
        }, _ => { });
        return new ClassScores(probabilities, count, classCount, AreProbabilities: true);
    }
}

/// <summary>Per-dimension standardisation fitted on training features.</summary>
public sealed class FeatureScaler(float[] mean, float[] scale)
{
    public static FeatureScaler Fit(FeatureSet train)
    {
        var mean = new double[train.Dim];
        var square = new double[train.Dim];
        for (var r = 0; r < train.Rows; r++)
        {
            var row = train.Row(r);
            for (var j = 0; j < train.Dim; j++) { mean[j] += row[j]; square[j] += (double)row[j] * row[j]; }
        }
        var m = mean.Select(s => (float)(s / train.Rows)).ToArray();
        var scale = square.Select((s, j) => Math.Sqrt(Math.Max(s / train.Rows - (double)m[j] * m[j], 0))).Select(sd => sd > 1e-12 ? (float)(1 / sd) : 1f).ToArray();
        return new FeatureScaler(m, scale);
    }

    public float[] Apply(ReadOnlySpan<float> row)
    {
        var result = new float[row.Length];
        Apply(row, result);
        return result;
    }

    public void Apply(ReadOnlySpan<float> row, Span<float> destination)
    {
        for (var j = 0; j < row.Length; j++) destination[j] = (row[j] - mean[j]) * scale[j];
    }
}
