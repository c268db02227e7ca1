namespace ProbeBench.Core.IO;

/// <summary>
/// Checks a file the user names as input (a plan, a model config, a checkpoint) before it is opened, so each way it can be
/// wrong is one sentence: missing, a folder, a FIFO or device (reading one would block forever or never end), or behind a
/// folder that denies access (which <see cref="File.Exists"/> reports as "missing").
/// </summary>
public static class InputFiles
{
    /// <summary>Why <paramref name="path"/> cannot be read as a file, as the end of a sentence starting with its name; null when it can.</summary>
    public static string? Problem(string path, bool folderAllowed = false) => FileKinds.Of(path) switch
    {
        FileKind.Regular => null,
        FileKind.Directory => folderAllowed ? null : "is a folder, not a file",
        FileKind.Missing => "does not exist",
        FileKind.Special => "is not a regular file (a FIFO, device or socket), so it is not read",
        _ => $"cannot be reached: {Unreachable(path)}",
    };

    /// <summary>Throws <c>"{what} {path} {problem}."</c> when <see cref="Problem"/> has one.</summary>
    public static void Check(string path, string what, bool folderAllowed = false)
    {
        if (Problem(path, folderAllowed) is { } problem) throw new ProbeBenchException($"{what} {path} {problem}.");
    }

    /// <summary>The whole text of a small input file, checked first; larger than <paramref name="maxBytes"/> is an error.</summary>
    public static string ReadSmallText(string path, string what, long maxBytes)
    {
        Check(path, what);
        try
        {
            CheckSize(path, what, maxBytes);
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, what, e);
        }
    }

    /// <summary>
    /// An input file too large to hold as one string (a results table, a predictions file), checked as
    /// <see cref="ReadSmallText"/> checks and opened for reading; an I/O error while reading it is the caller's to name.
    /// </summary>
    public static FileStream OpenRead(string path, string what, long maxBytes)
    {
        Check(path, what);
        try
        {
            CheckSize(path, what, maxBytes);
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, what, e);
        }
    }

    /// <summary>"{what} {path} could not be read (…)." for an I/O error while reading a checked file.</summary>
    public static ProbeBenchException Unreadable(string path, string what, Exception e) =>
        new($"{what} {path} could not be read ({e.Message}).", inner: e);

    private static void CheckSize(string path, string what, long maxBytes)
    {
        var length = new FileInfo(path).Length;
        if (length > maxBytes)
            throw new ProbeBenchException($"{what} {path} is {length} bytes; ProbeBench reads at most {maxBytes} bytes from it.");
    }

    /// <summary>
    /// <see cref="ReadSmallText"/>, or null when there is no such file, also when it vanishes between the look and the read
    /// (a record another process removes).
    /// </summary>
    public static string? ReadSmallTextIfPresent(string path, string what, long maxBytes)
    {
        if (FileKinds.Of(path) == FileKind.Missing) return null;
        try
        {
            return ReadSmallText(path, what, maxBytes);
        }
        catch (ProbeBenchException) when (FileKinds.Of(path) == FileKind.Missing)
        {
            return null;
        }
    }

    // The first folder on the way that cannot be searched (permission denied), else the path itself.
    private static string Unreachable(string path)
    {
        var full = Path.GetFullPath(path);
        for (var folder = Path.GetDirectoryName(full); folder is not null; folder = Path.GetDirectoryName(folder))
            if (FileKinds.Of(folder) == FileKind.Directory)
            {
                try
                {
                    Directory.EnumerateFileSystemEntries(folder).Take(1).ToList();
                    return "access to it is denied";
                }
                catch (UnauthorizedAccessException)
                {
                    return $"permission to open the folder {folder} is denied";
                }
                catch (IOException e)
                {
                    return e.Message;
                }
            }
        return "access to it is denied";
    }
}
