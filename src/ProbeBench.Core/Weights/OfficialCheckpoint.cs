namespace ProbeBench.Core.Weights;

/// <summary>A checkpoint file its publisher serves, as a backbone family lists it.</summary>
/// <param name="Name">The model name it belongs to, e.g. <c>dinov2_vits14</c>.</param>
/// <param name="FileName">The published file name, e.g. <c>dinov2_vits14_pretrain.pth</c>; it is cached under this name.</param>
/// <param name="Url">Where the publisher serves it; null for a file the user must bring (see <see cref="ObtainFrom"/>).</param>
/// <param name="Sha256">The publisher's digest when it pins one (lower-case hex), else null: the run records the digest it saw.</param>
public sealed record OfficialCheckpoint(string Name, string FileName, Uri? Url, string? Sha256 = null)
{
    /// <summary>For a file without <see cref="Url"/>: how and where the publisher hands it out, in words.</summary>
    public string? ObtainFrom { get; init; }

    /// <summary>
    /// The leading hex digits of the file's sha256 that the publisher writes into its name (torch.hub's
    /// <c>name-&lt;hash&gt;.pth</c> convention), else null. A file under this name whose digest does not start with it is refused.
    /// </summary>
    public string? Sha256Prefix { get; init; }

    /// <summary>Throws when <paramref name="sha256"/> (of the file at <paramref name="path"/>) contradicts the pinned digest or the name's prefix.</summary>
    public void Verify(string path, string sha256)
    {
        if (Sha256 is { } full && !string.Equals(full, sha256, StringComparison.OrdinalIgnoreCase))
            throw new ProbeBenchException($"{path} is not the official {FileName}: its sha256 is {sha256}, not {full}; replace it with the publisher's file.");
        if (Sha256Prefix is { } prefix && !sha256.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            throw new ProbeBenchException($"{path} is not the official {FileName}: its sha256 {sha256} does not start with {prefix}, the hash in its name; the file is corrupt, truncated or another model's, so bring the publisher's file again.");
    }
}
