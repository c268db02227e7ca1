using ProbeBench.Core.IO;

namespace ProbeBench.Core.Data;

/// <summary>
/// Lists the image files under a class folder, following links the way a user means them and no further: every folder
/// is entered once (by device and inode, so a link loop cannot multiply files), only regular files count, and a FIFO,
/// device or broken link with an image name is an error naming it (reading one would hang or never end).
/// </summary>
internal static class ImageFolderWalker
{
    private const int MaxDepth = 64;

    public sealed record Found(string Path, FileStatus Status);

    /// <param name="onFile">Called for every image found (for progress).</param>
    /// <param name="rejected">Where files that are not regular go when the caller skips bad files; null: they are an error.</param>
    public static List<Found> Images(string classFolder, Action onFile, List<string>? rejected)
    {
        var found = new List<Found>();
        Walk(classFolder, new HashSet<(ulong, ulong)>(), 0, found, onFile, rejected);
        found.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return found;
    }

    private static void Walk(string folder, HashSet<(ulong, ulong)> visited, int depth, List<Found> found, Action onFile, List<string>? rejected)
    {
        var self = FileStatus.Of(folder);
        if (depth > MaxDepth || !visited.Add((self.Device, self.Inode))) return;
        string[] entries;
        try
        {
            entries = Directory.GetFileSystemEntries(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Could not list the image folder {folder} ({e.Message}).", inner: e);
        }
        foreach (var entry in entries)
        {
            var status = FileStatus.Of(entry);
            if (status.Kind == FileKind.Directory)
            {
                Walk(entry, visited, depth + 1, found, onFile, rejected);
                continue;
            }
            if (!ImageDecoder.Extensions.Contains(Path.GetExtension(entry))) continue;
            if (status.Kind == FileKind.Regular)
            {
                found.Add(new Found(entry, status));
                onFile();
            }
            else if (rejected is not null) rejected.Add(entry);
            else throw new ProbeBenchException($"The image {entry} is {(status.Kind == FileKind.Missing ? "a broken link" : status.Describe())}; remove it or rename it so it does not end in {Path.GetExtension(entry)}.");
        }
    }
}
