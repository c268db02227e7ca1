using ProbeBench.Core.Models;

namespace ProbeBench.Core.Evaluation;

/// <summary>A backbone ready for extraction, with what identifies its features (checkpoint sha256, architecture).</summary>
public sealed class LoadedBackbone(string name, IBackboneModel model, string checkpointSha256, string? checkpointPath, string precision) : IDisposable
{
    public string Name => name;
    public IBackboneConfig Config => model.Config;
    public IBackboneFamily Family { get; } = BackboneFamilies.Of(model.Config);
    public IFeatureBackbone Features => model;
    public string CheckpointSha256 => checkpointSha256;
    public string? CheckpointPath => checkpointPath;
    public string Precision => precision;
    public long Parameters => Family.Parameters(model.Config);

    /// <summary>The configuration as canonical, culture-invariant text (part of feature-cache keys).</summary>
    public string Architecture => model.Config.Canonical();

    public void Dispose() => model.Dispose();
}
