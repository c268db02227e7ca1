using System.Collections;
using System.Diagnostics.CodeAnalysis;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeBench.Core.Weights;

/// <summary>
/// Named tensors of a checkpoint, in file order. Owns its tensors: disposing the state dict disposes
/// every tensor still in it; <see cref="Take"/> hands one tensor's ownership to the caller.
/// </summary>
public sealed class StateDict : IReadOnlyDictionary<string, Tensor>, IDisposable
{
    private readonly OrderedDictionary<string, Tensor> _tensors = new(StringComparer.Ordinal);
    private bool _disposed;

    public StateDict(CheckpointInfo info)
    {
        Info = info;
    }

    public CheckpointInfo Info { get; private set; }

    /// <summary>Replaces what is recorded about the file (the tensors stay); returns this state dict.</summary>
    public StateDict WithInfo(CheckpointInfo info)
    {
        Info = info;
        return this;
    }

    public int Count => _tensors.Count;

    public IEnumerable<string> Keys => _tensors.Keys;

    public IEnumerable<Tensor> Values => _tensors.Values;

    /// <summary>The tensor under <paramref name="key"/>; a missing key is an error naming the key and the file.</summary>
    public Tensor this[string key] =>
        _tensors.TryGetValue(key, out var tensor)
            ? tensor
            : throw new ProbeBenchException($"Checkpoint {Info.Path} has no tensor '{key}'.");

    /// <summary>Adds a tensor the state dict will own; it is detached from any dispose scope.</summary>
    public void Add(string key, Tensor tensor)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_tensors.TryAdd(key, tensor))
            throw new ProbeBenchException($"Checkpoint {Info.Path} holds the key '{key}' twice.");
        tensor.DetachFromDisposeScope();
    }

    /// <summary>Removes <paramref name="key"/> and returns its tensor; the caller now owns (and disposes) it.</summary>
    public Tensor Take(string key)
    {
        var tensor = this[key];
        _tensors.Remove(key);
        return tensor;
    }

    public bool ContainsKey(string key) => _tensors.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Tensor value) => _tensors.TryGetValue(key, out value);

    /// <summary>Total number of elements over all tensors.</summary>
    public long ParameterCount => _tensors.Values.Sum(t => t.numel());

    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => _tensors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var tensor in _tensors.Values) tensor.Dispose();
        _tensors.Clear();
    }
}
