namespace ProbeBench.Core.Kernel;

/// <summary>
/// What a classification head outputs for a set of samples: <see cref="Rows"/> × <see cref="ClassCount"/>
/// scores, row-major, higher is more likely. <see cref="AreProbabilities"/> says whether each row is a
/// probability distribution (then log-loss is defined); k-NN votes, for instance, are not.
/// </summary>
public sealed record ClassScores(float[] Values, int Rows, int ClassCount, bool AreProbabilities)
{
    public ReadOnlySpan<float> Row(int row) => Values.AsSpan(row * ClassCount, ClassCount);

    /// <summary>Index of the highest score in a row (the lowest index wins ties).</summary>
    public int ArgMax(int row)
    {
        var scores = Row(row);
        var best = 0;
        for (var c = 1; c < scores.Length; c++)
            if (scores[c] > scores[best]) best = c;
        return best;
    }
}
