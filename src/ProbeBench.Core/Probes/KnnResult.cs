using ProbeBench.Core.Kernel;
namespace ProbeBench.Core.Probes;

/// <summary>
/// k-NN votes for every test row, one <see cref="ClassScores"/> per requested k (same order as
/// <see cref="Ks"/>). Scores are summed neighbour weights, not probabilities.
/// </summary>
public sealed record KnnResult(IReadOnlyList<int> Ks, IReadOnlyList<ClassScores> Scores)
{
    /// <summary>The search that found the neighbours: "plain" or "bf16-screened" (see <see cref="KnnScreening"/>).</summary>
    public string Method { get; init; } = "plain";

    public ClassScores ForK(int k)
    {
        for (var i = 0; i < Ks.Count; i++)
            if (Ks[i] == k) return Scores[i];
        throw new ArgumentOutOfRangeException(nameof(k), k, "k was not among the evaluated neighbour counts");
    }
}
