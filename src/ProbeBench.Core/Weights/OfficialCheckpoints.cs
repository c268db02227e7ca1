namespace ProbeBench.Core.Weights;

/// <summary>An official DINOv2 backbone checkpoint published by Meta.</summary>
/// <param name="Name">The torch.hub name, e.g. <c>dinov2_vits14</c> or <c>dinov2_vits14_reg</c>.</param>
/// <param name="FileName">The published file name, e.g. <c>dinov2_vits14_pretrain.pth</c>.</param>
/// <param name="Url">Where Meta serves it.</param>
public sealed record OfficialCheckpoint(string Name, string FileName, Uri Url);

/// <summary>The URLs of the official DINOv2 backbones (the same files torch.hub downloads).</summary>
public static class OfficialCheckpoints
{
    public const string BaseUrl = "https://dl.fbaipublicfiles.com/dinov2/";

    private static readonly string[] Architectures = ["vits14", "vitb14", "vitl14", "vitg14"];

    public static IReadOnlyList<OfficialCheckpoint> All { get; } =
    [
        .. Architectures.Select(arch => Create($"dinov2_{arch}", arch, $"dinov2_{arch}_pretrain.pth")),
        .. Architectures.Select(arch => Create($"dinov2_{arch}_reg", arch, $"dinov2_{arch}_reg4_pretrain.pth")),
    ];

    /// <summary>Finds a checkpoint by hub name; <c>dinov2_vits14_reg4</c> is accepted for <c>dinov2_vits14_reg</c>.</summary>
    public static bool TryGet(string name, out OfficialCheckpoint checkpoint)
    {
        var normalized = name.Trim().ToLowerInvariant();
        if (normalized.EndsWith("_reg4", StringComparison.Ordinal)) normalized = normalized[..^1];
        checkpoint = All.FirstOrDefault(c => c.Name == normalized)!;
        return checkpoint is not null;
    }

    public static OfficialCheckpoint Get(string name) =>
        TryGet(name, out var checkpoint)
            ? checkpoint
            : throw new ProbeBenchException($"'{name}' is not an official DINOv2 checkpoint; known names: {string.Join(", ", All.Select(c => c.Name))}.");

    private static OfficialCheckpoint Create(string name, string arch, string fileName) =>
        new(name, fileName, new Uri($"{BaseUrl}dinov2_{arch}/{fileName}"));
}
