using System.Text.Json;
using System.Text.Json.Serialization;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Cache;

/// <summary>One chunk file of an entry: rows × dim values, then rows int32 labels; <see cref="Sha256"/> is its <see cref="ChunkDigest"/>.</summary>
public sealed record FeatureCacheChunk(int Index, int Rows, string File, long Bytes, string Sha256);

/// <summary>The JSON manifest of a feature-cache entry. An entry is usable only when <see cref="Complete"/> is true.</summary>
public sealed record FeatureCacheManifest
{
    /// <summary>2: chunk checksums bind each chunk to its entry and position (<see cref="ChunkDigest"/>). Entries of another version are rebuilt.</summary>
    public const int CurrentFormatVersion = 2;

    public int FormatVersion { get; init; } = CurrentFormatVersion;
    public required string Key { get; init; }
    public required FeatureCacheKeyParts Parts { get; init; }
    public required int Dim { get; init; }
    public required int ClassCount { get; init; }
    public required string StorageType { get; init; }
    public required int ChunkRows { get; init; }
    public required int ExpectedRows { get; init; }
    public IReadOnlyList<FeatureCacheChunk> Chunks { get; init; } = [];
    public bool Complete { get; init; }
    public DateTimeOffset CreatedUtc { get; init; }
    public DateTimeOffset? CompletedUtc { get; init; }
    public string ProbeBenchVersion { get; init; } = typeof(FeatureCacheManifest).Assembly.GetName().Version?.ToString() ?? "unknown";

    [JsonIgnore] public int Rows => Chunks.Sum(c => c.Rows);

    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public void Save(string folder) => AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Options));

    /// <summary>
    /// The manifest in <paramref name="folder"/>, null when there is none. Unreadable JSON, a missing or impossible field, or
    /// a key that does not match the folder and the parts is an error naming the file (the entry is then rebuilt).
    /// </summary>
    public static FeatureCacheManifest? Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!System.IO.File.Exists(path)) return null;
        FeatureCacheManifest manifest;
        try
        {
            // A FIFO or device named manifest.json would block the read (its length reads 0): only regular files are read.
            if (IO.InputFiles.Problem(path) is { } kind) throw new JsonException(kind);
            if (new FileInfo(path).Length > MaxBytes) throw new JsonException($"larger than {MaxBytes >> 20} MiB");
            manifest = JsonSerializer.Deserialize<FeatureCacheManifest>(System.IO.File.ReadAllText(path), Options)
                       ?? throw new JsonException("empty manifest");
        }
        catch (JsonException e)
        {
            throw new FeatureCacheCorruptException($"The feature-cache manifest {path} is unreadable ({e.Message}).", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FeatureCacheCorruptException($"The feature-cache manifest {path} cannot be read ({e.Message}).", e);
        }
        if (FeatureCacheManifestCheck.Problem(manifest, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)))) is { } problem)
            throw new FeatureCacheCorruptException($"The feature-cache manifest {path} is invalid: {problem}.");
        return manifest;
    }

    /// <summary>A manifest lists one small record per chunk; anything larger is not one.</summary>
    public const long MaxBytes = 64L << 20;
}

/// <summary>A cache entry that failed verification: the caller should remove and rebuild it.</summary>
public sealed class FeatureCacheCorruptException(string message, Exception? inner = null) : ProbeBenchException(message, 2, inner);
