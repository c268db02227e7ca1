using ProbeBench.Core.Extraction;
using ProbeBench.Core.Kernel;

namespace ProbeBench.Core.Heads;

/// <summary>One layer choice's features of one split.</summary>
public sealed record LayerFeatures(LayerChoice Choice, FeatureSet Features);
