using System.Security.Cryptography;

namespace ProbeBench.Core.IO;

/// <summary>A digest a downloaded file must have (hex, case-insensitive).</summary>
public sealed record ExpectedChecksum(HashAlgorithmName Algorithm, string Hex)
{
    public static ExpectedChecksum Sha256(string hex) => new(HashAlgorithmName.SHA256, hex);

    public static ExpectedChecksum Md5(string hex) => new(HashAlgorithmName.MD5, hex);

    public override string ToString() => $"{Algorithm.Name!.ToLowerInvariant()} {Hex}";
}
