using ProbeBench.Core.Extraction;
using ProbeBench.Core.Models;

namespace ProbeBench.Core.Evaluation;

/// <summary>A backbone ready for extraction, with what identifies its features (checkpoint sha256, architecture).</summary>
public sealed class LoadedBackbone(string name, DinoV2Config config, DinoV2Backbone model, string checkpointSha256, string? checkpointPath, string precision) : IDisposable
{
    public string Name => name;
    public DinoV2Config Config => config;
    public DinoV2Backbone Model => model;
    public string CheckpointSha256 => checkpointSha256;
    public string? CheckpointPath => checkpointPath;
    public string Precision => precision;
    public long Parameters => DinoV2Cost.Parameters(config);
    public IFeatureBackbone Features { get; } = new DinoV2FeatureBackbone(model);

    /// <summary>The configuration as canonical text (part of feature-cache keys).</summary>
    public string Architecture => config.ToString();

    public void Dispose() => model.Dispose();
}
