namespace ProbeBench.Core.Weights;

/// <summary>A checkpoint file its publisher serves, as a backbone family lists it.</summary>
/// <param name="Name">The model name it belongs to, e.g. <c>dinov2_vits14</c>.</param>
/// <param name="FileName">The published file name, e.g. <c>dinov2_vits14_pretrain.pth</c>; it is cached under this name.</param>
/// <param name="Url">Where the publisher serves it.</param>
/// <param name="Sha256">The publisher's digest when it pins one (lower-case hex), else null: the run records the digest it saw.</param>
public sealed record OfficialCheckpoint(string Name, string FileName, Uri Url, string? Sha256 = null);
