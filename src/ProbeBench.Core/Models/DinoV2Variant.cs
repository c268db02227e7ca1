using ProbeBench.Core.Weights;

namespace ProbeBench.Core.Models;

/// <summary>An official DINOv2 backbone: its hub name and hyper-parameters; where it is published comes from <see cref="OfficialCheckpoints"/>.</summary>
/// <param name="Name">Hub name, e.g. <c>dinov2_vits14</c> or <c>dinov2_vits14_reg</c>.</param>
public sealed record DinoV2Variant(string Name, DinoV2Config Config)
{
    public OfficialCheckpoint Checkpoint => OfficialCheckpoints.Get(Name);

    /// <summary>e.g. <c>dinov2_vits14_pretrain.pth</c> or <c>dinov2_vits14_reg4_pretrain.pth</c>.</summary>
    public string CheckpointFileName => Checkpoint.FileName;

    public Uri CheckpointUrl => Checkpoint.Url;
}
