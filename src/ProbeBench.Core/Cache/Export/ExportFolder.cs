using ProbeBench.Core.IO;

namespace ProbeBench.Core.Cache.Export;

/// <summary>
/// The folder an export lands in (<c>--to</c>). Its files are written into a hidden staging folder inside it and moved to
/// their names only once every file of the export is written, so a failed export leaves none of its files, and the
/// staging folder is all that is ever deleted. A name already taken there is refused before anything is read, unless
/// <c>--overwrite</c> is given; a folder, FIFO, device or socket of that name is refused always. Replacing renames over
/// the name, so a link there is replaced itself and what it points to is never written.
/// </summary>
internal sealed class ExportFolder : IDisposable
{
    private readonly bool _overwrite;

    private ExportFolder(string folder, string staging, bool overwrite)
    {
        Folder = folder;
        Staging = staging;
        _overwrite = overwrite;
    }

    public string Folder { get; }

    /// <summary>Where the export's files are written until <see cref="Publish"/>.</summary>
    public string Staging { get; }

    /// <summary>Checks that <paramref name="fileNames"/> (every file the export will write) may be put in <paramref name="folder"/>, and creates the staging folder.</summary>
    public static ExportFolder Open(string folder, IReadOnlyList<string> fileNames, bool overwrite)
    {
        folder = Path.GetFullPath(folder);
        if (fileNames.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ProbeBenchException($"--to {folder}: two of the exported matrices would both be written to {twice.Key}; export them apart with --layers or --splits.");
        CreateFolder(folder, folder);
        foreach (var name in fileNames) Check(folder, name, overwrite);
        var staging = Path.Combine(folder, $".export-{Guid.NewGuid():N}");
        CreateFolder(staging, folder);
        return new ExportFolder(folder, staging, overwrite);
    }

    /// <summary>Moves <paramref name="stagedFiles"/> (in <see cref="Staging"/>) to their names in <see cref="Folder"/>, all or none; returns their new paths.</summary>
    public IReadOnlyList<string> Publish(IReadOnlyList<string> stagedFiles)
    {
        var moves = stagedFiles.Select(f => (From: f, To: Path.Combine(Folder, Path.GetFileName(f)))).ToList();
        // Checked again: a file may have appeared there while the export was written.
        foreach (var (_, to) in moves) Check(Folder, Path.GetFileName(to), _overwrite);
        var moved = new List<(string From, string To)>();
        // With --overwrite a file of the same name moves aside into the staging folder first: restored if the export fails,
        // deleted with that folder once it has succeeded.
        var replaced = new List<(string Original, string Aside)>();
        foreach (var move in moves)
        {
            try
            {
                if (_overwrite && FileKinds.Of(move.To, followLinks: false) != FileKind.Missing)
                {
                    var aside = Path.Combine(Staging, ".replaced-" + Path.GetFileName(move.To));
                    File.Move(move.To, aside);
                    replaced.Add((move.To, aside));
                }
                File.Move(move.From, move.To);
                moved.Add(move);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The files moved so far are this export's own: taken back, and what they replaced put back.
                foreach (var (from, to) in moved)
                    try { File.Move(to, from); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                foreach (var (original, aside) in replaced)
                    try { File.Move(aside, original); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                throw new ProbeBenchException($"--to {Folder}: could not move {Path.GetFileName(move.To)} into place ({e.Message}); none of this export's files were left there and the files it was to replace are back.", inner: e);
            }
        }
        return moves.Select(m => m.To).ToList();
    }

    public void Dispose()
    {
        try { if (Directory.Exists(Staging)) Directory.Delete(Staging, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static void Check(string folder, string name, bool overwrite)
    {
        switch (FileKinds.Of(Path.Combine(folder, name), followLinks: false))
        {
            case FileKind.Missing:
            case FileKind.Regular or FileKind.SymbolicLink when overwrite:
                return;
            case FileKind.Regular or FileKind.SymbolicLink:
                throw new ProbeBenchException($"--to {folder} already holds {name}; pass --overwrite to replace it, or export to another folder.");
            case FileKind.Directory:
                throw new ProbeBenchException($"--to {folder} holds a folder named {name}, which an export never replaces; move it away or export to another folder.");
            case FileKind.Unreachable:
                throw new ProbeBenchException($"--to {folder}: {name} cannot be reached (permission denied).");
            default:
                throw new ProbeBenchException($"--to {folder} holds {name}, which is not a regular file (a FIFO, device or socket) and is never replaced; move it away or export to another folder.");
        }
    }

    private static void CreateFolder(string path, string folder)
    {
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"--to {folder} cannot be written ({e.Message}).", inner: e);
        }
    }
}
