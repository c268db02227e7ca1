using System.IO.Compression;
using ProbeBench.Core.IO;
using ProbeBench.Core.Runtime;
using ProbeBench.Core.Weights.Pickle;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeBench.Core.Weights;

/// <summary>
/// Reads the official <c>torch.save(state_dict)</c> zip (<c>&lt;archive&gt;/data.pkl</c> + <c>&lt;archive&gt;/data/&lt;key&gt;</c>)
/// without running any of its code: <c>data.pkl</c> goes through <see cref="RestrictedUnpickler"/>, which accepts only
/// the globals a state dict needs. Each storage is read from its zip entry straight into a tensor, once, and the
/// state-dict tensors are views of it (copied only when not contiguous), so peak memory stays near one copy.
/// </summary>
public static class PthCheckpointReader
{
    /// <summary>
    /// The most a storage entry may inflate beyond its compressed size. torch.save writes storages uncompressed (1x);
    /// re-zipped weights deflate to about 0.9x, and even all-zero tensors only pass this floor and ratio when tiny.
    /// </summary>
    public const int MaxInflationRatio = 32;

    /// <summary>Entries up to this size are read whatever their ratio (a zero mask token deflates 1000x and is harmless).</summary>
    public const long InflationFloorBytes = 1 << 20;

    public static StateDict Read(string path)
    {
        TorchRuntime.EnsureInitialized();
        using (var file = OpenFile(path))
        {
            var size = file.Length;
            using (var zip = OpenZip(file, path))
            {
                var layout = FindLayout(zip, path, size);
                var tensors = Unpickle(layout, path);
                // The digest is a second streamed pass over the file; it overlaps with reading the storages.
                var hashing = Task.Run(() => FileHashing.Sha256(path));
                return Materialize(tensors, layout, path,
                    () => new CheckpointInfo(path, CheckpointFormat.TorchZip, hashing.GetAwaiter().GetResult(), size));
            }
        }
    }

    /// <summary>Key → shape, in file order, from <c>data.pkl</c> alone: no storage is read (cheap for any size).</summary>
    public static IReadOnlyList<(string Key, long[] Shape)> ReadShapes(string path)
    {
        using var file = OpenFile(path);
        using var zip = OpenZip(file, path);
        return Unpickle(FindLayout(zip, path, file.Length), path).Select(t => (t.Key, t.Tensor.Size)).ToList();
    }

    private static FileStream OpenFile(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Could not open checkpoint {path} ({e.Message}).", inner: e);
        }
    }

    private static ZipArchive OpenZip(FileStream file, string path)
    {
        try
        {
            return new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new ProbeBenchException($"{path} is not a readable torch.save zip ({e.Message}); the file is truncated, corrupt or in another format.", inner: e);
        }
    }

    private sealed record ArchiveLayout(string Prefix, ZipArchiveEntry DataPkl, Dictionary<string, ZipArchiveEntry> Entries, long FileBytes);

    private static ArchiveLayout FindLayout(ZipArchive zip, string path, long fileBytes)
    {
        Dictionary<string, ZipArchiveEntry> entries;
        try
        {
            entries = zip.Entries.ToDictionary(e => e.FullName, StringComparer.Ordinal);
        }
        catch (InvalidDataException e)
        {
            throw new ProbeBenchException($"{path} has a corrupt zip directory ({e.Message}).", inner: e);
        }
        catch (ArgumentException e)
        {
            throw new ProbeBenchException($"{path} lists the same zip entry twice, so it is not a torch.save checkpoint.", inner: e);
        }

        var pickles = entries.Keys.Where(name => name.EndsWith("/data.pkl", StringComparison.Ordinal) && name.Count(c => c == '/') == 1).ToList();
        if (pickles.Count != 1)
            throw new ProbeBenchException($"{path} is a zip but not a torch.save checkpoint: it should hold exactly one '<archive>/data.pkl' and holds {pickles.Count}.");
        var prefix = pickles[0][..^"data.pkl".Length];

        if (entries.TryGetValue(prefix + "byteorder", out var byteOrder))
        {
            var text = ReadSmallText(byteOrder, path);
            if (text != "little")
                throw new ProbeBenchException($"{path} stores its tensors in '{text}' byte order; ProbeBench reads only little-endian checkpoints.");
        }
        return new ArchiveLayout(prefix, entries[pickles[0]], entries, fileBytes);
    }

    private static List<(string Key, TorchTensorRef Tensor)> Unpickle(ArchiveLayout layout, string path)
    {
        const long MaxPickleBytes = 256L << 20;
        if (layout.DataPkl.Length > MaxPickleBytes)
            throw new ProbeBenchException($"{path} has a {layout.DataPkl.Length}-byte data.pkl, far larger than any state dict needs.");
        byte[] bytes;
        try
        {
            using var stream = layout.DataPkl.Open();
            bytes = new byte[layout.DataPkl.Length];
            stream.ReadExactly(bytes);
            if (System.IO.Hashing.Crc32.HashToUInt32(bytes) != layout.DataPkl.Crc32)
                throw new ProbeBenchException($"{path}: zip entry '{layout.DataPkl.FullName}' fails its CRC-32 check: the file is corrupt.");
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new ProbeBenchException($"{path} has an unreadable {layout.DataPkl.FullName} ({e.Message}).", inner: e);
        }

        object? root;
        try
        {
            root = new RestrictedUnpickler(bytes, TorchPickleGlobals.Callables, TorchPickleGlobals.ValueGlobals, TorchPickleGlobals.PersistentLoad).Load();
        }
        catch (PickleException e)
        {
            throw new ProbeBenchException($"{path} was refused: {e.Message}.", inner: e);
        }

        if (root is not PickleDict dict)
            throw new ProbeBenchException($"{path} does not hold a state dict: its pickle is a {root?.GetType().Name ?? "None"}, not a dict of tensors.");
        var tensors = new List<(string, TorchTensorRef)>(dict.Items.Count);
        foreach (var (key, value) in dict.Items)
        {
            if (key is not string name)
                throw new ProbeBenchException($"{path} has a state-dict key that is not a string ({key}).");
            if (value is not TorchTensorRef tensor)
                throw new ProbeBenchException($"{path} has a value under '{name}' that is not a tensor ({value?.GetType().Name ?? "None"}); only flat state dicts are read.");
            tensors.Add((name, tensor));
        }
        return tensors;
    }

    private static StateDict Materialize(List<(string Key, TorchTensorRef Tensor)> tensors, ArchiveLayout layout, string path, Func<CheckpointInfo> finishInfo)
    {
        // Results are built storage by storage (each storage read once, then released) but added in pickle order.
        var built = new Tensor?[tensors.Count];
        StateDict? state = null;
        try
        {
            foreach (var group in tensors.Select((t, i) => (t.Tensor, Index: i)).GroupBy(t => t.Tensor.Storage.Key))
            {
                var storageRef = group.First().Tensor.Storage;
                if (group.Any(t => t.Tensor.Storage != storageRef))
                    throw new ProbeBenchException($"{path} describes storage '{storageRef.Key}' with two different types or sizes.");
                using var storage = ReadStorage(storageRef, layout, path);
                foreach (var (tensor, index) in group)
                    built[index] = ViewOf(storage, tensor).DetachFromDisposeScope();
            }
            state = new StateDict(finishInfo());
            for (var i = 0; i < tensors.Count; i++)
            {
                state.Add(tensors[i].Key, built[i]!);
                built[i] = null;
            }
            return state;
        }
        catch
        {
            foreach (var tensor in built) tensor?.Dispose();
            state?.Dispose();
            throw;
        }
    }

    private static Tensor ReadStorage(TorchStorageRef storage, ArchiveLayout layout, string path)
    {
        var entryName = $"{layout.Prefix}data/{storage.Key}";
        if (!layout.Entries.TryGetValue(entryName, out var entry))
            throw new ProbeBenchException($"{path} has no zip entry '{entryName}' for storage '{storage.Key}': the file is incomplete.");
        var expected = storage.ElementCount * storage.ElementSize; // cannot overflow: the unpickler bounds the count
        if (entry.Length != expected)
            throw new ProbeBenchException($"{path}: zip entry '{entryName}' has {entry.Length} bytes but its {storage.StorageType} of {storage.ElementCount} elements needs {expected}.");
        if (entry.Length > InflationFloorBytes && entry.Length / Math.Max(entry.CompressedLength, 1) > MaxInflationRatio)
            throw new ProbeBenchException(
                $"{path}: zip entry '{entryName}' would inflate {entry.CompressedLength} compressed bytes to {entry.Length} (more than {MaxInflationRatio}x); " +
                "torch.save stores tensors uncompressed, so this is not a checkpoint (a zip bomb?) and nothing was inflated.");

        // An entry claims its sizes: one claiming more bytes than the whole file holds is cut short, and nothing is allocated for it.
        if (entry.CompressedLength > layout.FileBytes)
            throw new ProbeBenchException($"{path}: zip entry '{entryName}' claims {entry.CompressedLength} bytes in a file of {layout.FileBytes}; the file is truncated or corrupt.");
        Tensor tensor;
        try
        {
            tensor = empty([storage.ElementCount], storage.DType);
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            throw new ProbeBenchException($"{path}: storage '{storage.Key}' ({expected} bytes) does not fit in memory ({e.Message.Split('\n')[0]}).", inner: e);
        }
        try
        {
            using var stream = entry.Open();
            var crc = TensorFill.FromStream(tensor, stream, $"{path} (entry '{entryName}')");
            if (crc != entry.Crc32)
                throw new ProbeBenchException($"{path}: zip entry '{entryName}' fails its CRC-32 check (stored {entry.Crc32:x8}, read {crc:x8}): the file is corrupt.");
            return tensor;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            tensor.Dispose();
            throw new ProbeBenchException($"{path}: zip entry '{entryName}' could not be read ({e.Message}); the file is truncated or corrupt.", inner: e);
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>The tensor as torch would rebuild it: a view when it is the whole storage in order, else a compact copy.</summary>
    private static Tensor ViewOf(Tensor storage, TorchTensorRef tensor)
    {
        using var strided = storage.as_strided(tensor.Size, tensor.Stride, tensor.StorageOffset);
        var elements = tensor.Size.Aggregate(1L, (a, b) => a * b);
        if (tensor.StorageOffset == 0 && elements == tensor.Storage.ElementCount && strided.is_contiguous())
            return strided.alias();
        return strided.is_contiguous() ? strided.clone() : strided.contiguous();
    }

    private static string ReadSmallText(ZipArchiveEntry entry, string path)
    {
        if (entry.Length > 64)
            throw new ProbeBenchException($"{path} has an implausible '{entry.FullName}' entry.");
        try
        {
            using var reader = new StreamReader(entry.Open());
            return reader.ReadToEnd().Trim();
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new ProbeBenchException($"{path}: zip entry '{entry.FullName}' could not be read ({e.Message}).", inner: e);
        }
    }
}
