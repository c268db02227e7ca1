namespace ProbeBench.Core.Probes;

/// <summary>A fitted multinomial logistic regression: class scores are softmax(W·x + b).</summary>
public sealed class LogisticRegressionModel(float[] weights, float[] biases, int dim, int classCount, FeatureScaler? scaler, double c)
{
    public double C => c;
    public int Dim => dim;
    public int ClassCount => classCount;

    public ClassScores Predict(FeatureSet set)
    {
        if (set.Dim != dim) throw new ProbeBenchException($"The logistic regression was fitted on {dim}-dim features; got {set.Dim}.");
        var probabilities = new float[set.Rows * classCount];
        Parallel.For(0, set.Rows, () => new double[classCount], (row, _, logits) =>
        {
            var x = scaler?.Apply(set.Row(row)) ?? set.Row(row).ToArray();
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
            for (var k = 0; k < classCount; k++) probabilities[row * classCount + k] = (float)(logits[k] / sum);
            return logits;
        }, _ => { });
        return new ClassScores(probabilities, set.Rows, classCount, AreProbabilities: true);
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
        for (var j = 0; j < row.Length; j++) result[j] = (row[j] - mean[j]) * scale[j];
        return result;
    }
}
