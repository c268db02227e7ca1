namespace ProbeBench.Core.Models.DinoV3;

/// <summary>Extraction's view of a <see cref="DinoV3Backbone"/> (storage tokens are never handed out as patches). Owns the model.</summary>
public sealed class DinoV3FeatureBackbone(DinoV3Backbone model) : FeatureBackbone<DinoV3Backbone>(model);
