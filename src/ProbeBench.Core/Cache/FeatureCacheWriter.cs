using ProbeBench.Core.Extraction;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Cache;

/// <summary>
/// Writes one entry chunk by chunk: each full chunk goes to a temp file, is flushed to disk and renamed,
/// then the manifest (itself replaced atomically) lists it. A process killed at any moment leaves a
/// manifest listing only whole chunks, from which <see cref="FeatureCache.OpenWriter"/> resumes. The writer holds the
/// entry's claim until <see cref="Complete"/> or <see cref="Dispose"/> (a disposed, unfinished writer leaves a partial entry).
/// </summary>
public sealed class FeatureCacheWriter : IFeatureWriter, IDisposable
{
    private readonly string _folder;
    private readonly FileLock _claim;
    private FeatureCacheManifest _manifest;
    private readonly float[] _values;
    private readonly int[] _labels;
    private int _buffered;

    internal FeatureCacheWriter(string folder, FeatureCacheManifest manifest, FileLock claim)
    {
        _folder = folder;
        _claim = claim;
        _manifest = manifest;
        _values = new float[checked(manifest.ChunkRows * manifest.Dim)];
        _labels = new int[manifest.ChunkRows];
        ResumeRow = manifest.Rows;
    }

    public string Key => _manifest.Key;

    public int ResumeRow { get; }

    public int RowsWritten => _manifest.Rows + _buffered;

    public void Append(ReadOnlySpan<float> rows, ReadOnlySpan<int> labels, int dim)
    {
        if (dim != _manifest.Dim)
            throw new InvalidOperationException($"Feature-cache entry {_manifest.Key} holds {_manifest.Dim} dims per row, got {dim}.");
        if (RowsWritten + labels.Length > _manifest.ExpectedRows)
            throw new InvalidOperationException($"Feature-cache entry {_manifest.Key} expects {_manifest.ExpectedRows} rows; got more.");
        for (var i = 0; i < labels.Length; i++)
        {
            rows.Slice(i * dim, dim).CopyTo(_values.AsSpan(_buffered * dim, dim));
            _labels[_buffered++] = labels[i];
            if (_buffered == _manifest.ChunkRows) Flush();
        }
    }

    public void Complete()
    {
        if (_buffered > 0) Flush();
        if (_manifest.Rows != _manifest.ExpectedRows)
            throw new InvalidOperationException($"Feature-cache entry {_manifest.Key} has {_manifest.Rows} of {_manifest.ExpectedRows} rows; it cannot be completed.");
        _manifest = _manifest with { Complete = true, CompletedUtc = DateTimeOffset.UtcNow };
        _manifest.Save(_folder);
        _claim.Dispose();
    }

    /// <summary>Releases the entry's claim; rows not yet in a whole chunk are dropped (the entry resumes after its last chunk).</summary>
    public void Dispose() => _claim.Dispose();

    private void Flush()
    {
        var index = _manifest.Chunks.Count;
        var file = FeatureCache.ChunkFileName(index);
        byte[] bytes;
        try
        {
            bytes = ChunkCodec.Encode(_values.AsSpan(0, _buffered * _manifest.Dim), _labels.AsSpan(0, _buffered), _manifest.StorageType);
        }
        catch (FeatureValueOverflowException e)
        {
            throw new ProbeBenchException(
                $"Feature value {e.Value:G6} in feature-cache entry {_manifest.Key} ({_manifest.Parts.LayerChoice}) does not fit fp16 storage (max 65504); store features as fp32 (--storage fp32).");
        }
        AtomicFile.WriteAllBytes(Path.Combine(_folder, file), bytes);
        var chunk = new FeatureCacheChunk(index, _buffered, file, bytes.LongLength, ChunkDigest.Of(_manifest, index, _buffered, bytes));
        _manifest = _manifest with { Chunks = [.. _manifest.Chunks, chunk] };
        _manifest.Save(_folder);
        _buffered = 0;
    }
}
