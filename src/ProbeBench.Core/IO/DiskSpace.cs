namespace ProbeBench.Core.IO;

/// <summary>Refuses work that cannot fit on the disk of a folder before starting it.</summary>
public static class DiskSpace
{
    public static void Require(string folder, long bytes, string what)
    {
        // No figure to check against: the write itself reports a full disk.
        if (Free(folder, out var existing) is not { } free) return;
        if (bytes > free)
            throw new ProbeBenchException($"{what} needs {bytes / 1e9:F2} GB but {existing} has {free / 1e9:F2} GB free.");
    }

    /// <summary>Free bytes on the disk that holds <paramref name="folder"/> (or its nearest existing parent), or null when the system cannot say.</summary>
    public static long? Free(string folder, out string existing)
    {
        existing = Path.GetFullPath(folder);
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent) existing = parent;
        try
        {
            return new DriveInfo(existing).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
