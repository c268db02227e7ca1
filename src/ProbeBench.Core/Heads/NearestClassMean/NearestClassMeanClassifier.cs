using System.Numerics.Tensors;
using ProbeBench.Core.Kernel;

namespace ProbeBench.Core.Heads.NearestClassMean;

/// <summary>
/// Nearest class mean on the unit sphere: every row is L2-normalised, each class is the normalised mean of its training
/// rows, and a test row scores each class by cosine similarity to it. No hyper-parameters, one pass over train.
/// </summary>
public static class NearestClassMeanClassifier
{
    /// <summary>Class centroids, ClassCount × Dim row-major (a class absent from train has none: NaN).</summary>
    public static float[] Fit(FeatureSet train)
    {
        train.Validate("nearest-class-mean train features");
        var sums = new double[(long)train.ClassCount * train.Dim];
        var counts = new int[train.ClassCount];
        var row = new float[train.Dim];
        for (var r = 0; r < train.Rows; r++)
        {
            Normalized(train.Row(r), row);
            var label = train.Labels[r];
            counts[label]++;
            var sum = sums.AsSpan(label * train.Dim, train.Dim);
            for (var j = 0; j < row.Length; j++) sum[j] += row[j];
        }
        var centroids = new float[sums.Length];
        for (var c = 0; c < train.ClassCount; c++)
        {
            var centroid = centroids.AsSpan(c * train.Dim, train.Dim);
            if (counts[c] == 0) { centroid.Fill(float.NaN); continue; }
            for (var j = 0; j < train.Dim; j++) centroid[j] = (float)(sums[c * train.Dim + j] / counts[c]);
            Normalized(centroid, centroid);
        }
        return centroids;
    }

    /// <summary>Cosine similarity of every test row to every class centroid (a class without one scores −∞).</summary>
    public static ClassScores Predict(float[] centroids, FeatureSet test)
    {
        test.Validate("nearest-class-mean test features");
        var classes = centroids.Length / test.Dim;
        if (classes * test.Dim != centroids.Length || classes != test.ClassCount)
            throw new ProbeBenchException($"nearest-class-mean test features have {test.Dim} dims and {test.ClassCount} classes; the centroids do not fit them.");
        var scores = new float[(long)test.Rows * classes];
        Parallel.For(0, test.Rows, () => new float[test.Dim], (r, _, row) =>
        {
            Normalized(test.Row(r), row);
            for (var c = 0; c < classes; c++)
            {
                var centroid = centroids.AsSpan(c * test.Dim, test.Dim);
                scores[(long)r * classes + c] = float.IsNaN(centroid[0]) ? float.NegativeInfinity : TensorPrimitives.Dot(row, centroid);
            }
            return row;
        }, _ => { });
        return new ClassScores(scores, test.Rows, classes, AreProbabilities: false);
    }

    private static void Normalized(ReadOnlySpan<float> source, Span<float> destination)
    {
        var norm = TensorPrimitives.Norm(source);
        if (norm > 0) TensorPrimitives.Divide(source, norm, destination);
        else source.CopyTo(destination);
    }
}
