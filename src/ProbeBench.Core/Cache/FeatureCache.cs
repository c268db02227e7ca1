using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using ProbeBench.Core.IO;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Probes;

namespace ProbeBench.Core.Cache;

/// <summary>Missing: no manifest. Partial: resumable. Complete: final manifest written. Corrupt: needs a rebuild.</summary>
public enum FeatureCacheState { Missing, Partial, Complete, Corrupt }

/// <summary>An entry as listed: where it is, what it holds, how big it is.</summary>
public sealed record FeatureCacheEntryInfo(string Key, string Folder, FeatureCacheState State, int Rows, int ExpectedRows, int Dim, string StorageType, long Bytes, FeatureCacheManifest? Manifest);

/// <summary>
/// Feature matrices on disk under <c>&lt;root&gt;/features/&lt;key[0..2]&gt;/&lt;key&gt;/</c>: chunk files and a manifest
/// (see <see cref="FeatureCacheManifest"/>). Every read verifies each chunk's size and sha256; a failure is a
/// <see cref="FeatureCacheCorruptException"/> naming the file, never silently used.
/// </summary>
public sealed class FeatureCache(string root)
{
    // Entries this instance verified in full, with the size and time of every file then: a later read of the same,
    // untouched files decodes without hashing them again, so a run verifies each entry once.
    private readonly ConcurrentDictionary<string, string> _verified = new();

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>
    /// The most values <see cref="Read"/> puts in one array: .NET's limit (tests lower it). A larger entry, such as the patch
    /// grids of a big split, is only ever read in batches (<see cref="FeatureRowReader"/>) or chunk by chunk (<see cref="ReadChunks"/>).
    /// </summary>
    internal long MaxReadValues { get; init; } = Array.MaxLength;

    public string FeaturesFolder => Path.Combine(Root, "features");

    public string EntryFolder(string key) => Path.Combine(FeaturesFolder, Checked(key)[..2], key);

    /// <summary>Where the lock of an entry lives (outside the entry's folder, which a rebuild removes).</summary>
    public string LockPath(string key) => Path.Combine(Root, "locks", Checked(key)[..2], key + ".lock");

    /// <summary>Whether <paramref name="key"/> has the form of a cache key: 64 lowercase hexadecimal digits (a SHA-256).</summary>
    public static bool IsKey(string key) => key.Length == 64 && key.All(char.IsAsciiHexDigitLower);

    // Keys also come from records and runs on disk: one that is not a key never becomes a path.
    private static string Checked(string key) => IsKey(key)
        ? key
        : throw new ProbeBenchException($"{Data.DataFiles.Quote(key)} is not a feature-cache key (64 lowercase hexadecimal digits).");

    /// <summary>
    /// Claims an entry for writing (see <see cref="FileLock"/>): only the holder of the claim writes, resumes, rebuilds or
    /// removes the entry. Returns null and the holder when another live process has it; a claim left by a dead one is taken over.
    /// </summary>
    public FileLock? TryClaim(string key, out LockOwner? holder)
    {
        try
        {
            return FileLock.TryAcquire(LockPath(key), $"writing feature-cache entry {key[..12]}", out holder);
        }
        catch (ProbeBenchException e) when (e.InnerException is UnauthorizedAccessException or IOException)
        {
            throw new ProbeBenchException(
                $"The feature cache under {Root} cannot be written ({e.InnerException!.Message}); give a writable --cache-root.", inner: e);
        }
    }

    /// <summary>The claim given, or a fresh one; an error naming the holder when another process writes the entry.</summary>
    private FileLock ClaimOrThrow(string key, FileLock? claim, string action)
    {
        if (claim is not null)
        {
            if (claim.Path != Path.GetFullPath(LockPath(key))) throw new InvalidOperationException($"The claim {claim.Path} is not the one of entry {key}.");
            return claim;
        }
        return TryClaim(key, out var holder)
               ?? throw new ProbeBenchException($"Cannot {action} feature-cache entry {key}: {(holder is null ? "another process" : holder.ToString())} is writing it; try again when it is done.");
    }

    internal static string ChunkFileName(int index) => $"chunk-{index:D5}.bin";

    // What a writer puts in an entry's folder: chunks, and AtomicFile's temporary ".<name>.<guid>.tmp" files.
    private static bool IsWriterFile(string name) =>
        name.StartsWith("chunk-", StringComparison.Ordinal) && name.EndsWith(".bin", StringComparison.Ordinal)
        || name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal);

    /// <summary>
    /// True when this instance verified entry <paramref name="key"/> in full and chunk file <paramref name="file"/> still has
    /// the size and last-write time it had then (as an open handle reports them).
    /// </summary>
    internal bool ChunkWasVerified(string key, string file, long length, DateTime lastWriteUtc) =>
        _verified.TryGetValue(key, out var seen) && (";" + seen).Contains(";" + StampOf(file, length, lastWriteUtc), StringComparison.Ordinal);

    /// <summary>
    /// Records that every chunk of <paramref name="key"/> passed its size and sha256 check, as each handle then reported its
    /// size and time (<paramref name="checkedChunks"/>, by file name); nothing is recorded when a file has changed since.
    /// </summary>
    internal void MarkVerified(string key, FeatureCacheManifest manifest, IReadOnlyDictionary<string, (long Length, DateTime LastWriteUtc)> checkedChunks)
    {
        if (Stamp(EntryFolder(key), manifest) is not { } stamp) return;
        if (checkedChunks.All(c => (";" + stamp).Contains(";" + StampOf(c.Key, c.Value.Length, c.Value.LastWriteUtc), StringComparison.Ordinal)))
            _verified[key] = stamp;
    }

    /// <summary>
    /// The entry's state from its manifest alone (cheap: no chunk is hashed; <see cref="Inspect"/> verifies).
    /// An unreadable manifest is <see cref="FeatureCacheState.Corrupt"/>, which a new writer replaces.
    /// </summary>
    public FeatureCacheState State(string key) => Look(EntryFolder(key)).State;

    /// <summary>
    /// The one place an entry's state is decided from its folder and manifest: no folder is Missing; a folder without a
    /// manifest is a writer that died before its first save (Partial, resumable from row 0); an unreadable manifest is
    /// Corrupt; else the manifest's Complete flag. <see cref="Inspect"/> then verifies the chunks of what this says.
    /// </summary>
    private static (FeatureCacheState State, FeatureCacheManifest? Manifest, string? Problem) Look(string folder)
    {
        if (!Directory.Exists(folder)) return (FeatureCacheState.Missing, null, null);
        try
        {
            var manifest = FeatureCacheManifest.Load(folder);
            return (manifest is null || !manifest.Complete ? FeatureCacheState.Partial : FeatureCacheState.Complete, manifest, null);
        }
        catch (FeatureCacheCorruptException e)
        {
            return (FeatureCacheState.Corrupt, null, e.Message);
        }
    }

    /// <summary>
    /// Looks at an entry and verifies every chunk it lists (size and sha256). A complete entry with a damaged,
    /// truncated or missing chunk, or an unreadable manifest, is <see cref="FeatureCacheState.Corrupt"/>; a partial
    /// entry resumes after its leading intact chunks.
    /// </summary>
    public FeatureCacheStatus Inspect(string key)
    {
        var folder = EntryFolder(key);
        _verified.TryRemove(key, out _);
        var (state, manifest, unreadable) = Look(folder);
        if (manifest is null) return new FeatureCacheStatus(key, state, 0, 0, unreadable);

        // Chunks are hashed in parallel; the entry is intact up to the first chunk (in order) that is not.
        var problems = new string?[manifest.Chunks.Count];
        Parallel.For(0, manifest.Chunks.Count, position =>
        {
            var chunk = manifest.Chunks[position];
            try
            {
                using var _ = ReadVerified(folder, chunk, manifest);
            }
            catch (FeatureCacheCorruptException e)
            {
                problems[position] = e.Message;
            }
        });
        var intactRows = 0;
        string? problem = null;
        for (var position = 0; position < problems.Length; position++)
        {
            if ((problem = problems[position]) is not null) break;
            intactRows += manifest.Chunks[position].Rows;
        }
        if (manifest.Complete)
        {
            problem ??= manifest.Rows != manifest.ExpectedRows
                ? $"Feature-cache manifest {Path.Combine(folder, FeatureCacheManifest.FileName)} lists {manifest.Rows} rows but was completed with {manifest.ExpectedRows}."
                : null;
            if (problem is not null) return new FeatureCacheStatus(key, FeatureCacheState.Corrupt, 0, manifest.ExpectedRows, problem);
            if (Stamp(folder, manifest) is { } stamp) _verified[key] = stamp;
            return new FeatureCacheStatus(key, FeatureCacheState.Complete, manifest.Rows, manifest.ExpectedRows, null);
        }
        return new FeatureCacheStatus(key, FeatureCacheState.Partial, intactRows, manifest.ExpectedRows, problem);
    }

    /// <summary>
    /// Reads a complete entry when it verifies; otherwise returns false with its <paramref name="status"/>
    /// (missing, partial with its resume row, or corrupt with the file at fault) so the caller can rebuild it.
    /// An entry whose manifest says complete is verified and decoded in one pass over its chunks. An intact entry too large
    /// for one array is not corrupt: <see cref="Read"/>'s error is thrown, never a rebuild.
    /// </summary>
    public bool TryRead(string key, [NotNullWhen(true)] out FeatureSet? features, out FeatureCacheStatus status)
    {
        features = null;
        var (state, manifest, _) = Look(EntryFolder(key));
        if (state == FeatureCacheState.Complete && manifest!.Rows == manifest.ExpectedRows)
        {
            try
            {
                features = Read(key);
                status = new FeatureCacheStatus(key, FeatureCacheState.Complete, manifest.Rows, manifest.ExpectedRows, null);
                return true;
            }
            catch (FeatureCacheCorruptException)
            {
                // Inspect below says what is wrong and from which row a rebuild could resume.
            }
        }
        status = Inspect(key);
        if (status.State != FeatureCacheState.Complete) return false;
        try
        {
            features = Read(key);
            return true;
        }
        catch (FeatureCacheCorruptException e)
        {
            // Changed between the check and the read.
            status = status with { State = FeatureCacheState.Corrupt, ResumeRow = 0, Problem = e.Message };
            return false;
        }
    }

    /// <summary>The listed entries whose key starts with <paramref name="keyPrefix"/> (a full key, or its first characters).</summary>
    public IReadOnlyList<FeatureCacheEntryInfo> Find(string keyPrefix)
    {
        var prefix = keyPrefix.Trim().ToLowerInvariant();
        if (prefix.Length == 0) return [];
        return List().Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
    }

    /// <summary>
    /// Opens an entry for writing under its claim (<paramref name="claim"/>, else one taken here; the writer releases it when
    /// completed or disposed). A partial entry with the same shape is resumed after its last chunk that verifies; stray
    /// chunks and temp files are removed. A complete entry is not reopened.
    /// </summary>
    public FeatureCacheWriter OpenWriter(FeatureCacheKeyParts parts, int dim, int classCount, int expectedRows, int chunkRows = 4096, FileLock? claim = null)
    {
        if (dim <= 0 || expectedRows < 0 || chunkRows <= 0) throw new ArgumentOutOfRangeException(nameof(dim));
        ChunkCodec.BytesPerValue(parts.StorageType);
        var key = parts.Key();
        if (ChunkCodec.ChunkProblem(chunkRows, dim, parts.StorageType) is { } tooLarge)
            throw new ProbeBenchException($"Feature-cache entry {key} ({parts.LayerChoice}) cannot be written: {tooLarge}.");
        var held = ClaimOrThrow(key, claim, "write");
        try
        {
            return OpenClaimed(parts, key, dim, classCount, expectedRows, chunkRows, held);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    private FeatureCacheWriter OpenClaimed(FeatureCacheKeyParts parts, string key, int dim, int classCount, int expectedRows, int chunkRows, FileLock claim)
    {
        _verified.TryRemove(key, out _);
        var folder = EntryFolder(key);
        // The cache makes real folders only: through a link, the stray-file clean-up below would delete what it points at.
        foreach (var made in new[] { Path.GetDirectoryName(folder)!, folder })
            if (FileKinds.Of(made, followLinks: false) is not (FileKind.Directory or FileKind.Missing) and var kind)
                throw new ProbeBenchException($"The feature-cache folder {made} is {(kind == FileKind.SymbolicLink ? "a link" : "not a folder")}, which the cache never makes; move it away to write entry {key[..12]}.");
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
            ? existing with { Chunks = existing.Chunks.TakeWhile((c, i) => c.Index == i && ChunkIsIntact(folder, c, existing)).ToList() }
            : fresh;

        try
        {
            Directory.CreateDirectory(folder);
            // Chunks past the intact ones and temporary files of a killed writer go; anything else is not the cache's to delete.
            var keep = manifest.Chunks.Select(c => c.File).Append(FeatureCacheManifest.FileName).ToHashSet();
            foreach (var file in Directory.EnumerateFiles(folder).Where(f => IsWriterFile(Path.GetFileName(f))))
                if (!keep.Contains(Path.GetFileName(file))) File.Delete(file);
            manifest.Save(folder);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ProbeBenchException($"Cannot write feature-cache entry {folder}: permission denied ({e.Message}).", inner: e);
        }
        return new FeatureCacheWriter(folder, manifest, claim);
    }

    /// <summary>
    /// Reads a complete entry into memory, verifying every chunk, unless this instance already verified the same
    /// files (by <see cref="Inspect"/> or an earlier read) and none of them changed size or time since.
    /// </summary>
    public FeatureSet Read(string key)
    {
        var manifest = CompleteManifest(key);
        // rows × dim in 64 bits: an entry may hold more values than an int counts (patch grids), and then more than one array holds.
        var count = (long)manifest.Rows * manifest.Dim;
        if (count > MaxReadValues)
            throw new ProbeBenchException(
                $"Feature-cache entry {key} ({manifest.Parts.LayerChoice}, {manifest.Parts.Split}) holds {manifest.Rows:N0} rows × {manifest.Dim:N0} values = {count:N0}, more than one array holds ({MaxReadValues:N0}): it cannot be read whole, only in batches (FeatureRowReader, ReadChunks); use fewer images or a narrower layer choice.");
        var folder = EntryFolder(key);
        var trusted = _verified.TryGetValue(key, out var seen) && seen == Stamp(folder, manifest);
        // Every value is written below: no need to zero 4 bytes per value first.
        var values = GC.AllocateUninitializedArray<float>(checked((int)count));
        var labels = new int[manifest.Rows];
        var firstRows = new int[manifest.Chunks.Count];
        for (var i = 1; i < firstRows.Length; i++) firstRows[i] = firstRows[i - 1] + manifest.Chunks[i - 1].Rows;
        // Chunks are read, hashed and decoded in parallel, each straight into its rows of the result (offsets fit an int: count does).
        ForEachChunk(manifest, i =>
        {
            var (chunk, row) = (manifest.Chunks[i], firstRows[i]);
            DecodeVerified(folder, chunk, manifest, values.AsSpan(checked(row * manifest.Dim), checked(chunk.Rows * manifest.Dim)), labels.AsSpan(row, chunk.Rows), hash: !trusted);
        });
        if (!trusted && Stamp(folder, manifest) is { } stamp) _verified[key] = stamp;
        return new FeatureSet(values, manifest.Rows, manifest.Dim, labels, manifest.ClassCount);
    }

    /// <summary>Opening a FIFO for reading waits for a writer: a chunk that is not a regular file is corrupt, never opened.</summary>
    internal static void RefuseSpecialChunk(string path)
    {
        if (FileKinds.Of(path) == FileKind.Special)
            throw new FeatureCacheCorruptException($"Feature-cache chunk {path} is not a regular file (a FIFO, device or socket), so it is not read.");
    }

    private static string StampOf(string file, long length, DateTime lastWriteUtc) => $"{file}:{length}:{lastWriteUtc.Ticks};";

    // Size and last-write time of the manifest and every chunk; null when a file is missing.
    private static string? Stamp(string folder, FeatureCacheManifest manifest)
    {
        var text = new StringBuilder();
        foreach (var file in manifest.Chunks.Select(c => c.File).Append(FeatureCacheManifest.FileName))
        {
            var info = new FileInfo(Path.Combine(folder, file));
            if (!info.Exists) return null;
            text.Append(StampOf(file, info.Length, info.LastWriteTimeUtc));
        }
        return text.ToString();
    }

    /// <summary>Streams a complete entry chunk by chunk (memory stays at one chunk), verifying each.</summary>
    public IEnumerable<(float[] Values, int[] Labels)> ReadChunks(string key)
    {
        var manifest = CompleteManifest(key);
        var folder = EntryFolder(key);
        foreach (var chunk in manifest.Chunks)
        {
            // A chunk is one buffer by construction (FeatureCacheManifestCheck bounds ChunkRows × Dim).
            var values = new float[checked(chunk.Rows * manifest.Dim)];
            var labels = new int[chunk.Rows];
            DecodeVerified(folder, chunk, manifest, values, labels);
            yield return (values, labels);
        }
    }

    private static void DecodeVerified(string folder, FeatureCacheChunk chunk, FeatureCacheManifest manifest, Span<float> values, Span<int> labels, bool hash = true)
    {
        using var bytes = ReadVerified(folder, chunk, manifest, hash);
        ChunkCodec.Decode(bytes.Span, chunk.Rows, manifest.Dim, manifest.StorageType, values, labels);
        foreach (var label in labels)
            if ((uint)label >= (uint)manifest.ClassCount)
                throw new FeatureCacheCorruptException($"Feature-cache chunk {Path.Combine(folder, chunk.File)} holds label {label} outside [0, {manifest.ClassCount}).");
    }

    /// <summary>Runs <paramref name="body"/> for every chunk index in parallel; a failure is rethrown as itself (the lowest chunk's).</summary>
    private static void ForEachChunk(FeatureCacheManifest manifest, Action<int> body)
    {
        var failures = new Exception?[manifest.Chunks.Count];
        Parallel.For(0, manifest.Chunks.Count, (i, loop) =>
        {
            try { body(i); }
            catch (Exception e) { failures[i] = e; }
        });
        if (failures.FirstOrDefault(f => f is not null) is { } first) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
    }

    /// <summary>Checks every chunk of an entry (<see cref="Inspect"/>); returns null when complete and intact, else what is wrong.</summary>
    public string? Verify(string key) => Inspect(key) switch
    {
        { State: FeatureCacheState.Complete } => null,
        { Problem: { } problem } => problem,
        { State: FeatureCacheState.Missing } => $"Feature-cache entry {key} has no manifest.",
        var status => $"incomplete: {status.ResumeRow} of {status.ExpectedRows} rows (resumable)",
    };

    /// <summary>Removes an entry under its claim (<paramref name="claim"/>, else one taken and released here).</summary>
    public void Remove(string key, FileLock? claim = null)
    {
        var held = ClaimOrThrow(key, claim, "remove");
        try
        {
            _verified.TryRemove(key, out _);
            var folder = EntryFolder(key);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ProbeBenchException($"Cannot remove feature-cache entry {EntryFolder(key)}: permission denied ({e.Message}).", inner: e);
        }
        finally
        {
            if (claim is null) held.Dispose();
        }
    }

    public IReadOnlyList<FeatureCacheEntryInfo> List()
    {
        // A root that is a file holds no cache: say so rather than list nothing under it.
        foreach (var folder in new[] { Root, FeaturesFolder })
            if (FileKinds.Of(folder, followLinks: true) is FileKind.Regular or FileKind.Special)
                throw new ProbeBenchException($"The cache root {Root} is not a folder ({folder} is a file or device); give a folder as --cache-root.");
        if (!Directory.Exists(FeaturesFolder)) return [];
        var entries = new List<FeatureCacheEntryInfo>();
        // Only the folders the cache makes: features/<2 hex>/<key>, real folders (a link is not followed, so nothing it
        // points at is listed or removed), named as keys; anything else in there is not the cache's.
        static bool Made(string folder, Func<string, bool> named) =>
            named(Path.GetFileName(folder)) && FileKinds.Of(folder, followLinks: false) == FileKind.Directory;
        var folders = Directory.EnumerateDirectories(FeaturesFolder)
            .Where(prefix => Made(prefix, name => name.Length == 2 && name.All(char.IsAsciiHexDigitLower)))
            .SelectMany(prefix => Directory.EnumerateDirectories(prefix).Where(entry => Made(entry, name => IsKey(name) && name.StartsWith(Path.GetFileName(prefix), StringComparison.Ordinal))));
        foreach (var folder in folders.Order(StringComparer.Ordinal))
        {
            var key = Path.GetFileName(folder);
            var bytes = Directory.EnumerateFiles(folder).Sum(f => new FileInfo(f).Length);
            var (state, manifest, _) = Look(folder);
            entries.Add(new FeatureCacheEntryInfo(key, folder, state,
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

    private static bool ChunkIsIntact(string folder, FeatureCacheChunk chunk, FeatureCacheManifest manifest)
    {
        var path = Path.Combine(folder, chunk.File);
        return File.Exists(path) && new FileInfo(path).Length == chunk.Bytes
               && ChunkDigest.Of(manifest, chunk.Index, chunk.Rows, File.ReadAllBytes(path)) == chunk.Sha256;
    }

    /// <summary>
    /// The chunk's bytes in a pooled buffer (return it by disposing), after checking the file's size against the manifest
    /// and the format before reading, and its sha256 when <paramref name="hash"/>.
    /// </summary>
    private static ChunkBytes ReadVerified(string folder, FeatureCacheChunk chunk, FeatureCacheManifest manifest, bool hash = true)
    {
        var path = Path.Combine(folder, chunk.File);
        if (!File.Exists(path)) throw new FeatureCacheCorruptException($"Feature-cache chunk {path} is missing.");
        RefuseSpecialChunk(path);
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var length = RandomAccess.GetLength(handle);
        var expected = ChunkCodec.FileBytes(chunk.Rows, manifest.Dim, manifest.StorageType);
        if (length != chunk.Bytes || length != expected)
            throw new FeatureCacheCorruptException($"Feature-cache chunk {path} holds {length} bytes, expected {expected} (truncated or overwritten).");
        var bytes = new ChunkBytes(checked((int)length));
        try
        {
            var read = 0;
            while (read < bytes.Length)
            {
                var n = RandomAccess.Read(handle, bytes.Writable[read..], read);
                if (n == 0) throw new FeatureCacheCorruptException($"Feature-cache chunk {path} ended after {read} of {length} bytes (truncated while read).");
                read += n;
            }
            if (hash)
            {
                if (!string.Equals(ChunkDigest.Of(manifest, chunk.Index, chunk.Rows, bytes.Span), chunk.Sha256, StringComparison.Ordinal))
                    throw new FeatureCacheCorruptException($"Feature-cache chunk {path} fails its sha256 check (the file was altered, moved from another position or entry, or the manifest was edited).");
            }
            return bytes;
        }
        catch
        {
            bytes.Dispose();
            throw;
        }
    }

    /// <summary>A chunk file's bytes in a buffer rented from the shared pool.</summary>
    private sealed class ChunkBytes(int length) : IDisposable
    {
        private byte[]? buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(length);

        public int Length => length;

        public Span<byte> Writable => buffer.AsSpan(0, length);

        public ReadOnlySpan<byte> Span => buffer.AsSpan(0, length);

        public void Dispose()
        {
            if (buffer is null) return;
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }
    }
}
