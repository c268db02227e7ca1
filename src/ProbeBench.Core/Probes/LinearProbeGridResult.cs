using ProbeBench.Core.Kernel;
namespace ProbeBench.Core.Probes;

/// <summary>
/// Every classifier of the grid with its validation top-1 (feature choices outer, learning rates inner),
/// the best one (highest validation top-1; the earlier one wins ties) and its trained weights.
/// </summary>
public sealed record LinearProbeGridResult(
    IReadOnlyList<LinearProbeCandidate> Candidates, LinearProbeCandidate Best, LinearProbeModel BestModel, TimeSpan TrainTime)
{
    /// <summary>Scores of the best classifier on the test split's copy of its feature choice.</summary>
    public ClassScores PredictBest(IReadOnlyList<LinearProbeFeatures> test)
    {
        var match = test.FirstOrDefault(t => t.Name == Best.FeatureName)
            ?? throw new ProbeBenchException($"the test features lack the feature choice '{Best.FeatureName}' that the linear probe selected.");
        return BestModel.Predict(match.Features);
    }
}
