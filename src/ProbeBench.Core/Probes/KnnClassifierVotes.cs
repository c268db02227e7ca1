namespace ProbeBench.Core.Probes;

/// <summary>
/// DINOv2's k-NN votes from one test row's max(k) neighbours (nearest first): weights softmax(similarity / T) over
/// all max(k) of them, and for each k the weights of the first k summed per label. Computed in float64, stored float32.
/// </summary>
internal static class KnnClassifierVotes
{
    public static void Add(ReadOnlySpan<Neighbour> neighbours, int[] labels, int[] ks, double temperature, int classes, float[][] votes, int row)
    {
        Span<double> weights = neighbours.Length <= 1024 ? stackalloc double[neighbours.Length] : new double[neighbours.Length];
        var top = neighbours[0].Similarity;
        var total = 0.0;
        for (var l = 0; l < neighbours.Length; l++) total += weights[l] = Math.Exp((neighbours[l].Similarity - top) / temperature);
        Span<double> perClass = classes <= 1024 ? stackalloc double[classes] : new double[classes];
        for (var i = 0; i < ks.Length; i++)
        {
            perClass.Clear();
            for (var l = 0; l < ks[i]; l++) perClass[labels[neighbours[l].Index]] += weights[l];
            var destination = votes[i].AsSpan(row * classes, classes);
            for (var c = 0; c < classes; c++) destination[c] = (float)(perClass[c] / total);
        }
    }
}
