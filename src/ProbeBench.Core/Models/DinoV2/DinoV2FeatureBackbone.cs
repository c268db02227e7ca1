namespace ProbeBench.Core.Models.DinoV2;

/// <summary>Extraction's view of a <see cref="DinoV2Backbone"/> (register tokens are never handed out as patches). Owns the model.</summary>
public sealed class DinoV2FeatureBackbone(DinoV2Backbone model) : FeatureBackbone<DinoV2Backbone>(model);
