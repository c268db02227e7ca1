namespace ProbeBench.Core.Models;

/// <summary>An official DINOv2 backbone: its hub name, the file it is published as, and its hyper-parameters.</summary>
/// <param name="Name">Hub name, e.g. <c>dinov2_vits14</c> or <c>dinov2_vits14_reg</c>.</param>
/// <param name="Arch">Folder on the download server, e.g. <c>dinov2_vits14</c>.</param>
/// <param name="CheckpointFileName">e.g. <c>dinov2_vits14_pretrain.pth</c> or <c>dinov2_vits14_reg4_pretrain.pth</c>.</param>
public sealed record DinoV2Variant(string Name, string Arch, string CheckpointFileName, DinoV2Config Config)
{
    public const string DownloadRoot = "https://dl.fbaipublicfiles.com/dinov2";

    public Uri CheckpointUrl => new($"{DownloadRoot}/{Arch}/{CheckpointFileName}");
}
