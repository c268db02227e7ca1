namespace ProbeBench.Core.IO;

/// <summary>
/// A file the user asks for beside the results (<c>--json</c>, <c>--markdown</c>): claimed before any work, so a bad path is
/// found first, and written atomically, so a failed write leaves nothing half-written.
/// </summary>
public static class OutputFile
{
    /// <summary>
    /// Checks that <paramref name="path"/> can take the output of <paramref name="option"/> and returns its full path. Refused: an
    /// empty path; a folder; a FIFO, device or socket (the atomic rename would replace it: as root, /dev/null itself); the
    /// same file as one of <paramref name="inputs"/> or a file inside an input folder, however spelled (the output would
    /// overwrite what the command reads); a folder that cannot be written (probed with a temporary file, removed again).
    /// </summary>
    public static string Claim(string path, string option, IEnumerable<string?>? inputs = null)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ProbeBenchException($"{option}: the file name is empty.");
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or PathTooLongException or NotSupportedException)
        {
            throw new ProbeBenchException($"{option} {path}: not a usable file name ({e.Message}).", inner: e);
        }
        switch (FileKinds.Of(full))
        {
            case FileKind.Directory: throw new ProbeBenchException($"{option} {path} is a folder; give a file name.");
            case FileKind.Special: throw new ProbeBenchException($"{option} {path} is not a regular file (a FIFO, device or socket); give a file name.");
            case FileKind.Unreachable: throw new ProbeBenchException($"{option} {path} cannot be reached (permission denied on a folder on the way).");
        }
        foreach (var input in (inputs ?? []).OfType<string>())
            if (Overlaps(full, input))
                throw new ProbeBenchException($"{option} {path} would overwrite the input {input}; write it somewhere else.");
        Probe(full, option);
        return full;
    }

    /// <summary>Writes <paramref name="text"/> to a path <see cref="Claim"/> returned, atomically; failures are one line naming the option.</summary>
    public static void WriteAllText(string fullPath, string text, string option)
    {
        try
        {
            AtomicFile.WriteAllText(fullPath, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"{option} {fullPath} could not be written ({e.Message}); nothing was left there.", inner: e);
        }
    }

    // The output is the input itself, or lies inside an input folder (compared by device and inode, so links and other
    // spellings count; by full path where the platform cannot tell).
    private static bool Overlaps(string output, string input)
    {
        var inputFull = Path.GetFullPath(input);
        var inputId = FileKinds.Identity(inputFull);
        for (var at = output; at is not null; at = Path.GetDirectoryName(at))
        {
            if (string.Equals(at, inputFull.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal)) return true;
            if (inputId is not null && FileKinds.Identity(at) is { } id && id == inputId) return true;
        }
        return false;
    }

    private static void Probe(string full, string option)
    {
        string temp;
        try
        {
            temp = AtomicFile.CreateTempPath(full);
        }
        catch (ProbeBenchException e)
        {
            throw new ProbeBenchException($"{option} {full}: {e.Message}", inner: e);
        }
        try
        {
            using (new FileStream(temp, FileMode.CreateNew, FileAccess.Write)) { }
            File.Delete(temp);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ProbeBenchException($"{option} {full} cannot be written (permission denied in the folder {Path.GetDirectoryName(full)}).", inner: e);
        }
        catch (IOException e)
        {
            throw new ProbeBenchException($"{option} {full} cannot be written ({e.Message}).", inner: e);
        }
    }
}
