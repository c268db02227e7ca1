using ProbeBench.Core.IO;

namespace ProbeBench.Core.Data;

/// <summary>
/// Puts a synthetic dataset folder in place the way an install is: written whole into a fresh hidden sibling, its
/// synthetic marker first, then renamed to its name, so the folder is either absent or complete and marked synthetic
/// (an existing folder is read as a dataset as it is). Only a folder that synthesize wrote is replaced: a real folder,
/// not a link, holding the marker as a regular file; anything else there is refused and left as it is.
/// </summary>
internal static class SyntheticFolder
{
    /// <summary>Writes <paramref name="folder"/> by <paramref name="fill"/>, which is given the staging folder to fill; returns the full path.</summary>
    public static string Write(string folder, string markerFile, string markerText, Action<string> fill)
    {
        folder = Path.GetFullPath(folder);
        var parent = Path.GetDirectoryName(folder) ?? throw new ProbeBenchException($"{folder} has no parent folder to write it in.");
        var name = Path.GetFileName(folder);
        CheckReplaceable(folder, markerFile);
        var staging = Path.Combine(parent, $".{name}.synthesize-{Guid.NewGuid():N}");
        string? replaced = null;
        try
        {
            Directory.CreateDirectory(parent);
            Directory.CreateDirectory(staging);
            WriteNew(Path.Combine(staging, markerFile), markerText);
            fill(staging);
            // Checked again: the folder may have appeared while the data was written.
            CheckReplaceable(folder, markerFile);
            if (FileKinds.Of(folder, followLinks: false) == FileKind.Directory)
            {
                replaced = Path.Combine(parent, $".{name}.replaced-{Guid.NewGuid():N}");
                Directory.Move(folder, replaced);
            }
            try
            {
                Directory.Move(staging, folder);
            }
            catch (Exception) when (replaced is not null)
            {
                TryMoveBack(replaced, folder);
                replaced = null;
                throw;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Could not write the synthetic data {folder} ({e.Message}); no partial copy was left there.", inner: e);
        }
        finally
        {
            TryDeleteTree(staging);
        }
        if (replaced is not null) TryDeleteTree(replaced);
        return folder;
    }

    /// <summary>Creates a new file (never opening one already there, nor following a link) holding <paramref name="text"/>.</summary>
    public static void WriteNew(string path, string text)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
    }

    private static void CheckReplaceable(string folder, string markerFile)
    {
        switch (FileKinds.Of(folder, followLinks: false))
        {
            case FileKind.Missing:
                return;
            case FileKind.Directory when FileKinds.Of(Path.Combine(folder, markerFile), followLinks: false) == FileKind.Regular:
                return;
            case FileKind.Directory:
                throw new ProbeBenchException($"{folder} exists and was not written by probebench synthesize (it has no {markerFile}); move it away or choose another --data-root.");
            case FileKind.SymbolicLink:
                throw new ProbeBenchException($"{folder} is a symbolic link, not a folder probebench synthesize wrote; move it away or choose another --data-root.");
            case FileKind.Unreachable:
                throw new ProbeBenchException($"{folder} cannot be reached (permission denied on a folder on the way); choose another --data-root.");
            default:
                throw new ProbeBenchException($"{folder} exists and is not a folder (a file, FIFO, device or socket); move it away or choose another --data-root.");
        }
    }

    private static void TryMoveBack(string replaced, string folder)
    {
        try { Directory.Move(replaced, folder); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static void TryDeleteTree(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
