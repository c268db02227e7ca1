using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ProbeBench.Core.Cache;

/// <summary>
/// Everything that determines a cached feature matrix. Same parts → same key; any change → another key.
/// </summary>
/// <param name="CheckpointSha256">sha256 of the checkpoint file (or "random:&lt;seed&gt;" for random weights).</param>
/// <param name="Architecture">The backbone configuration's canonical text.</param>
/// <param name="Recipe">The preprocessing recipe's canonical text.</param>
/// <param name="DatasetFingerprint">The dataset split's fingerprint.</param>
/// <param name="Split">Split name.</param>
/// <param name="Subset">Which rows, in order ("all", or a hash of the index list for a limited run).</param>
/// <param name="LayerChoice">The layer choice's canonical name.</param>
/// <param name="Precision">Compute precision (fp32, fp16, bf16): it changes the features.</param>
/// <param name="StorageType">How values are stored (fp16 or fp32).</param>
/// <param name="Device">The kind of device that computed them (<see cref="DeviceKind"/>: cpu or cuda): CPU and CUDA kernels
/// round differently, so their features differ in their bits, most of all in fp16.</param>
public sealed record FeatureCacheKeyParts(
    string CheckpointSha256,
    string Architecture,
    string Recipe,
    string DatasetFingerprint,
    string Split,
    string Subset,
    string LayerChoice,
    string Precision,
    string StorageType,
    string Device)
{
    /// <summary>Bumped whenever what extraction writes changes meaning, so old entries stop matching.</summary>
    public const int FeatureFormatVersion = 1;

    public string Key()
    {
        var canonical = JsonSerializer.Serialize(new object[]
        {
            FeatureFormatVersion, CheckpointSha256, Architecture, Recipe, DatasetFingerprint, Split, Subset, LayerChoice, Precision, StorageType, Device,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>The device part of a key: the device type of a device option (cpu; cuda for cuda and cuda:N alike).</summary>
    public static string DeviceKind(string device)
    {
        var kind = device.Trim().ToLowerInvariant();
        var colon = kind.IndexOf(':');
        return colon < 0 ? kind : kind[..colon];
    }

    /// <summary>"all" for the whole split, else a digest of the row indices in order.</summary>
    public static string SubsetOf(IReadOnlyList<int>? indices)
    {
        if (indices is null) return "all";
        var bytes = new byte[indices.Count * 4];
        for (var i = 0; i < indices.Count; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), indices[i]);
        return $"rows:{indices.Count}:{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}";
    }
}
