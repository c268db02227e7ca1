using System.Security.Cryptography;

namespace ProbeBench.Core.Runtime;

/// <summary>
/// TorchSharp 0.107's libLibTorchSharp.so declares a need for GLIBCXX_3.4.32 (GCC 13's libstdc++) only
/// because of <c>_ZSt21ios_base_library_initv</c>, a bare <c>.globl</c> that nothing relocates against.
/// On libstdc++ without that version (Debian 12 ships 3.4.30) a copy of the library with that one
/// requirement marked weak loads and works. The copy lives in the ProbeBench cache; the original
/// (NuGet cache, build output) is never modified.
/// </summary>
public static class LibTorchSharpPatch
{
    public const string RequiredFile = "libstdc++.so.6";
    public const string MissingVersion = "GLIBCXX_3.4.32";

    /// <summary>True when a load failure was caused by the missing libstdc++ version.</summary>
    public static bool IsMissingVersionError(string loadError) =>
        loadError.Contains($"`{MissingVersion}' not found", StringComparison.Ordinal)
        || loadError.Contains($"{MissingVersion}' not found", StringComparison.Ordinal);

    /// <summary>
    /// Returns the path of a patched copy of <paramref name="original"/> under <paramref name="cacheFolder"/>,
    /// creating it (atomically) when it is not there yet. The copy's folder is named after the original's sha256.
    /// </summary>
    public static string EnsurePatchedCopy(string original, string cacheFolder)
    {
        var bytes = File.ReadAllBytes(original);
        var digest = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
        var folder = Path.Combine(cacheFolder, $"libLibTorchSharp-{digest}");
        var target = Path.Combine(folder, Path.GetFileName(original));
        if (File.Exists(target)) return target;

        ElfVersionNeedPatcher.MarkWeak(bytes, RequiredFile, MissingVersion, original);
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(original)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return target;
    }
}
