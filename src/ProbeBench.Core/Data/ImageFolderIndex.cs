using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Data;

/// <summary>
/// What ProbeBench learned about each file of an image folder, cached per folder (one JSON file named by a hash of the
/// folder's path): size and modification time, whether it decodes, and its content digest when one was computed. A
/// fact is reused only while the file's size and modification time are unchanged.
/// </summary>
internal sealed class ImageFolderIndex
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public sealed record FileFacts(long Size, long Modified, bool? Decodes = null, string? Sha256 = null);

    private sealed record Stored(int Version, string Folder, Dictionary<string, FileFacts> Files);

    private const int Version = 1;
    private readonly string? _path;
    private readonly string _folder;
    private readonly Dictionary<string, FileFacts> _previous;

    private const long MaxIndexBytes = 2L << 30;

    public ImageFolderIndex(string? indexFolder, string folder)
    {
        _folder = folder;
        _previous = [];
        if (indexFolder is null) return;
        _path = Path.Combine(indexFolder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(folder)))[..24] + ".json");
        try
        {
            // A FIFO in its place would block the read forever; a record without files is as good as none.
            // An index holds a line per image (ImageNet's is ~150 MB); one far larger is not ProbeBench's and is rebuilt.
            if (FileStatus.Of(_path) is { Kind: FileKind.Regular, Size: <= MaxIndexBytes }
                && JsonSerializer.Deserialize<Stored>(File.ReadAllText(_path), Json) is { Version: Version, Files: { } files } stored && stored.Folder == folder)
                _previous = files.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            _previous = []; // an unreadable or stale index is rebuilt
        }
    }

    public Dictionary<string, FileFacts> Current { get; } = [];

    /// <summary>The cached facts of <paramref name="relative"/> when its size and time still match, else fresh facts.</summary>
    public FileFacts Facts(string relative, FileStatus status) =>
        _previous.TryGetValue(relative, out var old) && old.Size == status.Size && old.Modified == status.ModifiedTicks
            ? old
            : new FileFacts(status.Size, status.ModifiedTicks);

    /// <summary>The digest recorded earlier for a file whose size and time match, to tell a silent content change.</summary>
    public string? PreviousDigest(string relative, FileStatus status) =>
        _previous.TryGetValue(relative, out var old) && old.Size == status.Size && old.Modified == status.ModifiedTicks ? old.Sha256 : null;

    /// <summary>Saves the current facts; returns why it could not (the index is only a cache).</summary>
    public string? Save()
    {
        if (_path is null) return null;
        // Unchanged facts need no write (a cached rerun of a large folder then writes nothing).
        if (_previous.Count == Current.Count && Current.All(kv => _previous.TryGetValue(kv.Key, out var old) && old == kv.Value)) return null;
        try
        {
            AtomicFile.WriteAllText(_path, JsonSerializer.Serialize(new Stored(Version, _folder, Current), Json));
            return null;
        }
        catch (ProbeBenchException e)
        {
            return e.Message;
        }
    }
}
