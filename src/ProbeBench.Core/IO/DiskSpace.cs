namespace ProbeBench.Core.IO;

/// <summary>Refuses work that cannot fit on the disk of a folder before starting it.</summary>
public static class DiskSpace
{
    public static void Require(string folder, long bytes, string what)
    {
        var existing = Path.GetFullPath(folder);
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent) existing = parent;
        long free;
        try
        {
            free = new DriveInfo(existing).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return; // no figure to check against; the write itself reports a full disk
        }
        if (bytes > free)
            throw new ProbeBenchException($"{what} needs {bytes / 1e9:F2} GB but {existing} has {free / 1e9:F2} GB free.");
    }
}
