using System.Text.Json;
using System.Text.Json.Serialization;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Cache;

/// <summary>One chunk file of an entry: rows × dim values, then rows int32 labels; its sha256 covers the whole file.</summary>
public sealed record FeatureCacheChunk(int Index, int Rows, string File, long Bytes, string Sha256);

/// <summary>The JSON manifest of a feature-cache entry. An entry is usable only when <see cref="Complete"/> is true.</summary>
public sealed record FeatureCacheManifest
{
    public int FormatVersion { get; init; } = FeatureCacheKeyParts.FeatureFormatVersion;
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

    /// <summary>The manifest in <paramref name="folder"/>, null when there is none; unreadable JSON is an error naming the file.</summary>
    public static FeatureCacheManifest? Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!System.IO.File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<FeatureCacheManifest>(System.IO.File.ReadAllText(path), Options)
                   ?? throw new JsonException("empty manifest");
        }
        catch (JsonException e)
        {
            throw new FeatureCacheCorruptException($"The feature-cache manifest {path} is unreadable ({e.Message}).", e);
        }
    }
}

/// <summary>A cache entry that failed verification: the caller should remove and rebuild it.</summary>
public sealed class FeatureCacheCorruptException(string message, Exception? inner = null) : ProbeBenchException(message, 2, inner);
