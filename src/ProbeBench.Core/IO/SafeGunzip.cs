namespace ProbeBench.Core.IO;

/// <summary>Decompresses a single-file <c>.gz</c> (such as MNIST's IDX files), refusing output beyond a bound.</summary>
public static class SafeGunzip
{
    /// <summary>Largest allowed ratio of output to input bytes (IDX image files compress about 5×).</summary>
    public const long MaxExpansion = 100;

    public static void Extract(string archivePath, string destination)
    {
        try
        {
            using var input = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            var limit = Math.Max(1, input.Length) * MaxExpansion;
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            using var gzip = new GzipCheck(archivePath, input);
            using var output = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None);
            SafeZipExtractor.CopyAtMost(gzip, output, limit,
                () => new ProbeBenchException($"{archivePath} inflates past {MaxExpansion}× its size; refusing to unpack it (a gzip bomb?)."));
            gzip.Verify();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new ProbeBenchException($"The file {archivePath} is corrupt or not gzip-compressed ({e.Message}).", inner: e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Could not unpack {archivePath} to {destination} ({e.Message}).", inner: e);
        }
    }
}
