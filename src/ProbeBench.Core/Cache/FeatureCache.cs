using System.Security.Cryptography;
using ProbeBench.Core.Probes;

namespace ProbeBench.Core.Cache;

public enum FeatureCacheState { Missing, Partial, Complete }

/// <summary>An entry as listed: where it is, what it holds, how big it is.</summary>
public sealed record FeatureCacheEntryInfo(string Key, string Folder, FeatureCacheState State, int Rows, int ExpectedRows, int Dim, string StorageType, long Bytes, FeatureCacheManifest? Manifest);

/// <summary>
/// Feature matrices on disk under <c>&lt;root&gt;/features/&lt;key[0..2]&gt;/&lt;key&gt;/</c>: chunk files and a manifest
/// (see <see cref="FeatureCacheManifest"/>). Every read verifies each chunk's size and sha256; a failure is a
/// <see cref="FeatureCacheCorruptException"/> naming the file, never silently used.
/// </summary>
public sealed class FeatureCache(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string FeaturesFolder => Path.Combine(Root, "features");

    public string EntryFolder(string key) => Path.Combine(FeaturesFolder, key[..2], key);

    internal static string ChunkFileName(int index) => $"chunk-{index:D5}.bin";

    public FeatureCacheState State(string key)
    {
        var manifest = FeatureCacheManifest.Load(EntryFolder(key));
        return manifest is null ? FeatureCacheState.Missing : manifest.Complete ? FeatureCacheState.Complete : FeatureCacheState.Partial;
    }

    /// <summary>
    /// Opens an entry for writing. A partial entry with the same shape is resumed after its last chunk that
    /// verifies; stray chunks and temp files are removed. A complete entry is not reopened.
    /// </summary>
    public FeatureCacheWriter OpenWriter(FeatureCacheKeyParts parts, int dim, int classCount, int expectedRows, int chunkRows = 4096)
    {
        if (dim <= 0 || expectedRows < 0 || chunkRows <= 0) throw new ArgumentOutOfRangeException(nameof(dim));
        ChunkCodec.BytesPerValue(parts.StorageType);
        var key = parts.Key();
        var folder = EntryFolder(key);
        FeatureCacheManifest? existing;
        try
        {
            existing = FeatureCacheManifest.Load(folder);
        }
        catch (FeatureCacheCorruptException)
        {
            existing = null;
        }
        if (existing is { Complete: true })
            throw new InvalidOperationException($"Feature-cache entry {key} is already complete.");

        var fresh = new FeatureCacheManifest
        {
            Key = key, Parts = parts, Dim = dim, ClassCount = classCount, StorageType = parts.StorageType,
            ChunkRows = chunkRows, ExpectedRows = expectedRows, CreatedUtc = DateTimeOffset.UtcNow,
        };
        var manifest = existing is not null && existing.Dim == dim && existing.ChunkRows == chunkRows && existing.ExpectedRows == expectedRows
                       && existing.ClassCount == classCount && existing.Parts == parts
            ? existing with { Chunks = existing.Chunks.TakeWhile((c, i) => c.Index == i && ChunkIsIntact(folder, c)).ToList() }
            : fresh;

        Directory.CreateDirectory(folder);
        var keep = manifest.Chunks.Select(c => c.File).Append(FeatureCacheManifest.FileName).ToHashSet();
        foreach (var file in Directory.EnumerateFiles(folder))
            if (!keep.Contains(Path.GetFileName(file))) File.Delete(file);
        manifest.Save(folder);
        return new FeatureCacheWriter(folder, manifest);
    }

    /// <summary>Reads a complete entry into memory, verifying every chunk.</summary>
    public FeatureSet Read(string key)
    {
        var manifest = CompleteManifest(key);
        var values = new float[(long)manifest.Rows * manifest.Dim];
        var labels = new int[manifest.Rows];
        var row = 0;
        foreach (var chunk in ReadChunks(key))
        {
            chunk.Values.CopyTo(values.AsSpan(row * manifest.Dim));
            chunk.Labels.CopyTo(labels.AsSpan(row));
            row += chunk.Labels.Length;
        }
        return new FeatureSet(values, manifest.Rows, manifest.Dim, labels, manifest.ClassCount);
    }

    /// <summary>Streams a complete entry chunk by chunk (memory stays at one chunk), verifying each.</summary>
    public IEnumerable<(float[] Values, int[] Labels)> ReadChunks(string key)
    {
        var manifest = CompleteManifest(key);
        var folder = EntryFolder(key);
        foreach (var chunk in manifest.Chunks)
        {
            var bytes = ReadVerified(folder, chunk, manifest);
            var values = new float[chunk.Rows * manifest.Dim];
            var labels = new int[chunk.Rows];
            ChunkCodec.Decode(bytes, chunk.Rows, manifest.Dim, manifest.StorageType, values, labels);
            foreach (var label in labels)
                if ((uint)label >= (uint)manifest.ClassCount)
                    throw new FeatureCacheCorruptException($"Feature-cache chunk {Path.Combine(folder, chunk.File)} holds label {label} outside [0, {manifest.ClassCount}).");
            yield return (values, labels);
        }
    }

    /// <summary>Checks every chunk of an entry; returns null when intact, else what is wrong.</summary>
    public string? Verify(string key)
    {
        try
        {
            var manifest = FeatureCacheManifest.Load(EntryFolder(key)) ?? throw new FeatureCacheCorruptException($"Feature-cache entry {key} has no manifest.");
            foreach (var chunk in manifest.Chunks) ReadVerified(EntryFolder(key), chunk, manifest);
            return manifest.Complete ? null : $"incomplete: {manifest.Rows} of {manifest.ExpectedRows} rows (resumable)";
        }
        catch (FeatureCacheCorruptException e)
        {
            return e.Message;
        }
    }

    public void Remove(string key)
    {
        var folder = EntryFolder(key);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    public IReadOnlyList<FeatureCacheEntryInfo> List()
    {
        if (!Directory.Exists(FeaturesFolder)) return [];
        var entries = new List<FeatureCacheEntryInfo>();
        foreach (var folder in Directory.EnumerateDirectories(FeaturesFolder).SelectMany(Directory.EnumerateDirectories).Order())
        {
            var key = Path.GetFileName(folder);
            var bytes = Directory.EnumerateFiles(folder).Sum(f => new FileInfo(f).Length);
            FeatureCacheManifest? manifest;
            try { manifest = FeatureCacheManifest.Load(folder); }
            catch (FeatureCacheCorruptException) { manifest = null; }
            entries.Add(new FeatureCacheEntryInfo(key, folder,
                manifest is null ? FeatureCacheState.Missing : manifest.Complete ? FeatureCacheState.Complete : FeatureCacheState.Partial,
                manifest?.Rows ?? 0, manifest?.ExpectedRows ?? 0, manifest?.Dim ?? 0, manifest?.StorageType ?? "?", bytes, manifest));
        }
        return entries;
    }

    private FeatureCacheManifest CompleteManifest(string key)
    {
        var manifest = FeatureCacheManifest.Load(EntryFolder(key));
        if (manifest is not { Complete: true })
            throw new FeatureCacheCorruptException($"Feature-cache entry {key} is {(manifest is null ? "missing" : "incomplete")}.");
        if (manifest.Rows != manifest.ExpectedRows)
            throw new FeatureCacheCorruptException($"Feature-cache entry {key} lists {manifest.Rows} rows but was completed with {manifest.ExpectedRows}.");
        return manifest;
    }

    private static bool ChunkIsIntact(string folder, FeatureCacheChunk chunk)
    {
        var path = Path.Combine(folder, chunk.File);
        return File.Exists(path) && new FileInfo(path).Length == chunk.Bytes
               && Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))) == chunk.Sha256;
    }

    private static byte[] ReadVerified(string folder, FeatureCacheChunk chunk, FeatureCacheManifest manifest)
    {
        var path = Path.Combine(folder, chunk.File);
        if (!File.Exists(path)) throw new FeatureCacheCorruptException($"Feature-cache chunk {path} is missing.");
        var bytes = File.ReadAllBytes(path);
        var expected = ChunkCodec.FileBytes(chunk.Rows, manifest.Dim, manifest.StorageType);
        if (bytes.LongLength != chunk.Bytes || bytes.LongLength != expected)
            throw new FeatureCacheCorruptException($"Feature-cache chunk {path} holds {bytes.LongLength} bytes, expected {expected} (truncated or overwritten).");
        if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != chunk.Sha256)
            throw new FeatureCacheCorruptException($"Feature-cache chunk {path} fails its sha256 check (the file was altered).");
        return bytes;
    }
}
