namespace ProbeBench.Core.Cache;

/// <summary>
/// What a manifest read from disk must satisfy before anything trusts it: every field present and possible, the key equal to
/// the folder's name and to the hash of the parts, and the chunks numbered in order with the sizes their rows imply.
/// </summary>
internal static class FeatureCacheManifestCheck
{
    public static string? Problem(FeatureCacheManifest m, string folderName)
    {
        if (m.FormatVersion != FeatureCacheManifest.CurrentFormatVersion)
            return $"it is of format {m.FormatVersion}, written by another ProbeBench version (this one writes {FeatureCacheManifest.CurrentFormatVersion})";
        // Required members can still be JSON nulls.
        if (m.Key is null || m.Parts is null || m.StorageType is null || m.Chunks is null) return $"{(m.Key is null ? "Key" : m.Parts is null ? "Parts" : m.StorageType is null ? "StorageType" : "Chunks")} is missing";
        if (m.Parts.CheckpointSha256 is null || m.Parts.Architecture is null || m.Parts.Recipe is null || m.Parts.DatasetFingerprint is null
            || m.Parts.Split is null || m.Parts.Subset is null || m.Parts.LayerChoice is null || m.Parts.Precision is null || m.Parts.StorageType is null)
            return "a key part is missing";
        if (m.Key != folderName) return $"Key {m.Key} is not the entry's folder name {folderName}";
        if (m.Parts.Key() != m.Key) return "Key is not the hash of Parts";
        if (m.StorageType is not ("fp16" or "fp32") || m.StorageType != m.Parts.StorageType) return $"StorageType '{m.StorageType}' is not fp16 or fp32 as Parts says";
        if (m.Dim <= 0) return $"Dim {m.Dim} is not positive";
        if (m.ClassCount <= 0) return $"ClassCount {m.ClassCount} is not positive";
        if (m.ChunkRows <= 0) return $"ChunkRows {m.ChunkRows} is not positive";
        if (m.ExpectedRows < 0) return $"ExpectedRows {m.ExpectedRows} is negative";
        // An entry as a whole may exceed one array (patch grids are read in batches; FeatureCache.Read refuses a whole read of
        // one too large), but each chunk is written, hashed and decoded as one buffer.
        if (ChunkCodec.ChunkProblem(m.ChunkRows, m.Dim, m.StorageType) is { } chunkTooLarge) return chunkTooLarge;
        if (m.Chunks.Any(c => c is null)) return "a chunk record is null";
        var total = m.Chunks.Sum(c => (long)c.Rows);
        long rows = 0;
        for (var i = 0; i < m.Chunks.Count; i++)
        {
            var c = m.Chunks[i];
            if (c.File is null || c.Sha256 is null) return $"chunk {i} is missing its file or checksum";
            if (c.Index != i) return $"chunk {i} is numbered {c.Index} (out of order)";
            if (c.File != FeatureCache.ChunkFileName(i)) return $"chunk {i} names the file '{c.File}', not {FeatureCache.ChunkFileName(i)}";
            // Only the chunk that ends the entry may be short (a writer stopped after writing it is still resumable).
            if (c.Rows <= 0 || c.Rows > m.ChunkRows || c.Rows != m.ChunkRows && !(i == m.Chunks.Count - 1 && total == m.ExpectedRows))
                return $"chunk {i} holds {c.Rows} rows; chunks hold {m.ChunkRows} (the last one may hold fewer)";
            if (c.Bytes != ChunkCodec.FileBytes(c.Rows, m.Dim, m.StorageType)) return $"chunk {i} lists {c.Bytes} bytes, not the {ChunkCodec.FileBytes(c.Rows, m.Dim, m.StorageType)} its rows take";
            rows += c.Rows;
        }
        if (rows > m.ExpectedRows) return $"its chunks hold {rows} rows, more than the {m.ExpectedRows} expected";
        return null;
    }
}
