using static TorchSharp.torch;

namespace ProbeBench.Core.Weights.Pickle;

/// <summary>A storage named by a persistent id in <c>data.pkl</c>; its bytes are the zip entry <c>data/&lt;Key&gt;</c>.</summary>
internal sealed record TorchStorageRef(string Key, ScalarType DType, int ElementSize, long ElementCount, string StorageType);

/// <summary>What <c>torch._utils._rebuild_tensor_v2</c> would build: a strided view of a storage.</summary>
internal sealed record TorchTensorRef(TorchStorageRef Storage, long StorageOffset, long[] Size, long[] Stride);

/// <summary>The globals a <c>torch.save(state_dict)</c> pickle may use, and how each is "called".</summary>
internal static class TorchPickleGlobals
{
    public static readonly IReadOnlyDictionary<string, (ScalarType Type, int Size)> StorageTypes =
        new Dictionary<string, (ScalarType, int)>(StringComparer.Ordinal)
        {
            ["torch.FloatStorage"] = (ScalarType.Float32, 4),
            ["torch.HalfStorage"] = (ScalarType.Float16, 2),
            ["torch.BFloat16Storage"] = (ScalarType.BFloat16, 2),
            ["torch.DoubleStorage"] = (ScalarType.Float64, 8),
            ["torch.LongStorage"] = (ScalarType.Int64, 8),
            ["torch.IntStorage"] = (ScalarType.Int32, 4),
            ["torch.ByteStorage"] = (ScalarType.Byte, 1),
            ["torch.BoolStorage"] = (ScalarType.Bool, 1),
        };

    public static IReadOnlyDictionary<string, Func<object?[], object?>> Callables { get; } =
        new Dictionary<string, Func<object?[], object?>>(StringComparer.Ordinal)
        {
            ["collections.OrderedDict"] = args => args.Length == 0
                ? new PickleDict()
                : throw new PickleException("collections.OrderedDict is called with arguments"),
            ["torch._utils._rebuild_tensor_v2"] = RebuildTensor,
            // nn.Parameter(data, requires_grad, backward_hooks): the data is all a state dict needs.
            ["torch._utils._rebuild_parameter"] = args => args.Length >= 1 && args[0] is TorchTensorRef tensor
                ? tensor
                : throw new PickleException("torch._utils._rebuild_parameter is not given a tensor"),
        };

    public static IReadOnlySet<string> ValueGlobals { get; } = StorageTypes.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>Persistent id <c>('storage', storage_type, key, location, numel)</c>.</summary>
    public static object PersistentLoad(object? id)
    {
        if (id is not PickleTuple { Items: ["storage", PickleGlobal type, string key, string, long count] })
            throw new PickleException("the pickle has a persistent id that is not a ('storage', type, key, location, numel) tuple");
        if (!StorageTypes.TryGetValue(type.ToString(), out var dtype))
            throw new PickleException($"the pickle uses storage type '{type}', which ProbeBench does not read");
        if (count < 0) throw new PickleException($"storage '{key}' has a negative size");
        if (count > long.MaxValue / dtype.Size) throw new PickleException($"storage '{key}' claims {count} elements, more bytes than any file holds");
        return new TorchStorageRef(key, dtype.Type, dtype.Size, count, type.ToString());
    }

    // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
    private static object RebuildTensor(object?[] args)
    {
        if (args.Length is < 4 or > 7 || args[0] is not TorchStorageRef storage || args[1] is not long offset
            || args[2] is not PickleTuple size || args[3] is not PickleTuple stride)
            throw new PickleException("torch._utils._rebuild_tensor_v2 is called with arguments that do not describe a tensor");
        var sizes = Longs(size, "size");
        var strides = Longs(stride, "stride");
        if (sizes.Length != strides.Length)
            throw new PickleException($"a tensor of storage '{storage.Key}' has {sizes.Length} sizes but {strides.Length} strides");
        CheckBounds(storage, offset, sizes, strides);
        return new TorchTensorRef(storage, offset, sizes, strides);
    }

    private static long[] Longs(PickleTuple tuple, string what) =>
        tuple.Items.Select(item => item is long value && value >= 0
            ? value
            : throw new PickleException($"a tensor {what} entry is not a non-negative integer")).ToArray();

    // A state-dict tensor is a plain view: it lies inside its storage and holds no more elements than the storage does,
    // so rebuilding it never needs more memory than the file's own bytes (stride-0 views claiming 64 GiB are refused).
    private static void CheckBounds(TorchStorageRef storage, long offset, long[] sizes, long[] strides)
    {
        if (offset < 0) throw new PickleException($"a tensor of storage '{storage.Key}' has a negative offset");
        if (sizes.Any(s => s == 0)) return;
        try
        {
            var elements = sizes.Aggregate(1L, (a, b) => checked(a * b));
            if (elements > storage.ElementCount)
                throw new PickleException($"a tensor of storage '{storage.Key}' has {elements} elements but its storage holds {storage.ElementCount} (a view that repeats elements is not a state-dict tensor)");
            var last = offset;
            for (var i = 0; i < sizes.Length; i++) last = checked(last + (sizes[i] - 1) * strides[i]);
            if (last >= storage.ElementCount)
                throw new PickleException($"a tensor of storage '{storage.Key}' reaches element {last} of a storage with {storage.ElementCount}");
        }
        catch (OverflowException)
        {
            throw new PickleException($"a tensor of storage '{storage.Key}' has sizes and strides that overflow");
        }
    }
}
