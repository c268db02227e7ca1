using ProbeBench.Core.Weights;

namespace ProbeBench.Core.Models.DinoV2;

/// <summary>An official DINOv2 backbone: its hub name, hyper-parameters and the checkpoint Meta publishes for it.</summary>
/// <param name="Name">Hub name, e.g. <c>dinov2_vits14</c> or <c>dinov2_vits14_reg</c>.</param>
public sealed record DinoV2Variant(string Name, DinoV2Config Config, OfficialCheckpoint Checkpoint) : IBackboneVariant
{
    IBackboneConfig IBackboneVariant.Config => Config;

    /// <summary>e.g. <c>dinov2_vits14_pretrain.pth</c> or <c>dinov2_vits14_reg4_pretrain.pth</c>.</summary>
    public string CheckpointFileName => Checkpoint.FileName;

    public Uri CheckpointUrl => Checkpoint.Url!; // every DINOv2 file is served publicly
}
