using ProbeBench.Core.Kernel;
namespace ProbeBench.Core.Probes;

/// <summary>
/// One feature choice of a linear-probe grid (e.g. "cls@last4+avgpool"): its name and the feature set.
/// All choices of one split describe the same rows in the same order with the same labels.
/// </summary>
public sealed record LinearProbeFeatures(string Name, FeatureSet Features);
