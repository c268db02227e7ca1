namespace ProbeBench.Core.Probes;

/// <summary>One classifier of the grid: its feature choice, learning rates and validation top-1.</summary>
public sealed record LinearProbeCandidate(string FeatureName, double BaseLearningRate, double LearningRate, double ValidationTop1);
