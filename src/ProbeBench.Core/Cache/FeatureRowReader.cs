using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace ProbeBench.Core.Cache;

/// <summary>
/// Reads chosen rows of a complete feature-cache entry without loading the entry: dense features (a patch grid per image)
/// and dense labels are read a batch at a time, so memory stays at one batch whatever the split's size. Each chunk is
/// verified (size and sha256, streamed) the first time one of its rows is read, and then read through the very handle that
/// was verified: the cache replaces files by rename, so a verified handle keeps serving the verified bytes. A chunk of an
/// entry the same <see cref="FeatureCache"/> already verified in full is only checked for the size and time it had then
/// (asked of the handle when it is opened), so a run hashes each entry once however many heads read it; a reader that
/// hashes every chunk records that. Offsets are
/// 64-bit throughout (an entry may hold many gigabytes). Safe to read from several threads at once.
/// </summary>
public sealed class FeatureRowReader : IDisposable
{
    private const int HashBufferBytes = 4 << 20;

    private readonly string _folder;
    private readonly FeatureCacheManifest _manifest;
    private readonly int[] _chunkStarts;
    private readonly SafeFileHandle?[] _handles;
    private readonly object[] _locks;
    private readonly int _bytesPerValue;
    private readonly FeatureCache _cache;
    // The chunks this reader hashed, with the size and time their handles reported then.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Length, DateTime LastWriteUtc)> _hashed = new();

    private FeatureRowReader(FeatureCache cache, string folder, FeatureCacheManifest manifest)
    {
        _cache = cache;
        _folder = folder;
        _manifest = manifest;
        _bytesPerValue = ChunkCodec.BytesPerValue(manifest.StorageType);
        _chunkStarts = new int[manifest.Chunks.Count + 1];
        // The manifest check (FeatureCacheManifest.Load) guarantees chunks in order, each with rows.
        for (var c = 0; c < manifest.Chunks.Count; c++) _chunkStarts[c + 1] = checked(_chunkStarts[c] + manifest.Chunks[c].Rows);
        _handles = new SafeFileHandle?[manifest.Chunks.Count];
        _locks = manifest.Chunks.Select(_ => new object()).ToArray();
    }

    public string Key => _manifest.Key;
    public int Rows => _manifest.Rows;
    public int Dim => _manifest.Dim;
    public string StorageType => _manifest.StorageType;

    /// <summary>Bytes one row takes on disk (values only).</summary>
    public long BytesPerRow => (long)Dim * _bytesPerValue;

    /// <summary>Opens a complete entry (its manifest must say complete with every expected row); no chunk is read yet.</summary>
    public static FeatureRowReader Open(FeatureCache cache, string key)
    {
        var folder = cache.EntryFolder(key);
        var manifest = FeatureCacheManifest.Load(folder);
        if (manifest is not { Complete: true })
            throw new FeatureCacheCorruptException($"Feature-cache entry {key} is {(manifest is null ? "missing" : "incomplete")}; run the extraction again.");
        if (manifest.Rows != manifest.ExpectedRows)
            throw new FeatureCacheCorruptException($"Feature-cache entry {key} lists {manifest.Rows} rows but was completed with {manifest.ExpectedRows}.");
        if ((long)manifest.Dim * ChunkCodec.BytesPerValue(manifest.StorageType) > Array.MaxLength)
            throw new FeatureCacheCorruptException($"Feature-cache entry {key} claims {manifest.Dim} values per row, more than one row can hold.");
        return new FeatureRowReader(cache, folder, manifest);
    }

    /// <summary>Where row <paramref name="row"/> starts inside its chunk file, in bytes (64-bit: rows × dim overflow 32 bits).</summary>
    public static long OffsetInChunk(int rowInChunk, int dim, int bytesPerValue) => (long)rowInChunk * dim * bytesPerValue;

    /// <summary>Rows <paramref name="rows"/> (any order, repeats allowed) as float32, row after row into <paramref name="destination"/>.</summary>
    public void Read(ReadOnlySpan<int> rows, Span<float> destination)
    {
        CheckSize(rows.Length, destination.Length);
        var buffer = ArrayPool<byte>.Shared.Rent((int)BytesPerRow);
        try
        {
            for (var i = 0; i < rows.Length; i++)
            {
                var bytes = buffer.AsSpan(0, (int)BytesPerRow);
                ReadRaw(rows[i], bytes);
                var target = destination.Slice(i * Dim, Dim);
                if (_bytesPerValue == 2) TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(bytes), target);
                else MemoryMarshal.Cast<byte, float>(bytes).CopyTo(target);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Rows of an fp16 entry as stored (half the bytes of float32; converted on the device).</summary>
    public void ReadHalf(ReadOnlySpan<int> rows, Span<Half> destination)
    {
        if (_bytesPerValue != 2) throw new InvalidOperationException($"Feature-cache entry {Key} stores {StorageType}, not fp16.");
        CheckSize(rows.Length, destination.Length);
        for (var i = 0; i < rows.Length; i++)
            ReadRaw(rows[i], MemoryMarshal.AsBytes(destination.Slice(i * Dim, Dim)));
    }

    private void CheckSize(int rows, int destination)
    {
        if ((long)rows * Dim != destination)
            throw new ArgumentException($"{rows} rows of {Dim} values need {(long)rows * Dim} values; the destination holds {destination}.");
    }

    private void ReadRaw(int row, Span<byte> bytes)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"feature-cache entry {Key} has rows 0..{Rows - 1}");
        var chunk = Array.BinarySearch(_chunkStarts, row);
        chunk = chunk >= 0 ? chunk : ~chunk - 1;
        var handle = Verified(chunk);
        var offset = OffsetInChunk(row - _chunkStarts[chunk], Dim, _bytesPerValue);
        var done = 0;
        while (done < bytes.Length)
        {
            var read = RandomAccess.Read(handle, bytes[done..], offset + done);
            if (read <= 0) throw new FeatureCacheCorruptException($"Feature-cache chunk {ChunkPath(chunk)} ended early (truncated after it was verified).");
            done += read;
        }
    }

    private string ChunkPath(int chunk) => Path.Combine(_folder, _manifest.Chunks[chunk].File);

    // The chunk's handle once its size and sha256 have been checked; the first reader of a chunk checks it.
    private SafeFileHandle Verified(int chunk)
    {
        if (Volatile.Read(ref _handles[chunk]) is { } ready) return ready;
        lock (_locks[chunk])
        {
            if (_handles[chunk] is { } done) return done;
            var info = _manifest.Chunks[chunk];
            var path = ChunkPath(chunk);
            SafeFileHandle handle;
            FeatureCache.RefuseSpecialChunk(path);
            try
            {
                handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new FeatureCacheCorruptException($"Feature-cache chunk {path} is missing or unreadable ({e.Message}).", e);
            }
            try
            {
                var expected = ChunkCodec.FileBytes(info.Rows, Dim, StorageType);
                var length = RandomAccess.GetLength(handle);
                if (length != info.Bytes || length != expected)
                    throw new FeatureCacheCorruptException($"Feature-cache chunk {path} holds {length} bytes, expected {expected} (truncated or overwritten).");
                // Checked when opened, against this very handle: a file replaced since the run verified it is hashed again.
                var written = File.GetLastWriteTimeUtc(handle);
                var trusted = _cache.ChunkWasVerified(_manifest.Key, info.File, length, written);
                if (!trusted && Digest(handle, length, chunk, info.Rows) != info.Sha256)
                    throw new FeatureCacheCorruptException($"Feature-cache chunk {path} fails its sha256 check (the file was altered, moved from another position or entry, or the manifest was edited).");
                if (!trusted) _hashed[info.File] = (length, written);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
            Volatile.Write(ref _handles[chunk], handle);
            if (_hashed.Count == _manifest.Chunks.Count) _cache.MarkVerified(_manifest.Key, _manifest, _hashed);
            return handle;
        }
    }

    private string Digest(SafeFileHandle handle, long length, int chunk, int rows)
    {
        using var hash = ChunkDigest.Begin(_manifest, chunk, rows);
        var buffer = ArrayPool<byte>.Shared.Rent(HashBufferBytes);
        try
        {
            for (long offset = 0; offset < length;)
            {
                var read = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(HashBufferBytes, length - offset)), offset);
                if (read <= 0) break;
                hash.AppendData(buffer, 0, read);
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public void Dispose()
    {
        for (var c = 0; c < _handles.Length; c++) Interlocked.Exchange(ref _handles[c], null)?.Dispose();
    }
}
