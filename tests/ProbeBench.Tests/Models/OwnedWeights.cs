using System.Collections;
using ProbeBench.Core.Models;
using ProbeBench.Core.Models.DinoV2;
using static TorchSharp.torch;

namespace ProbeBench.Tests.Models;

/// <summary>A random state dict that tests can edit (remove, add, replace keys) and dispose.</summary>
internal sealed class OwnedWeights(Dictionary<string, Tensor> tensors) : IReadOnlyDictionary<string, Tensor>, IDisposable
{
    public static OwnedWeights Random(DinoV2Config config, long seed) => new(DinoV2RandomWeights.Create(config, seed));

    public Tensor this[string key] => tensors[key];
    public IEnumerable<string> Keys => tensors.Keys;
    public IEnumerable<Tensor> Values => tensors.Values;
    public int Count => tensors.Count;
    public bool ContainsKey(string key) => tensors.ContainsKey(key);
    public bool TryGetValue(string key, out Tensor value) => tensors.TryGetValue(key, out value!);
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => tensors.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Remove(string key)
    {
        tensors[key].Dispose();
        tensors.Remove(key);
    }

    public void Add(string key, Tensor value) => tensors.Add(key, value.DetachFromDisposeScope());

    public void Replace(string key, Tensor value)
    {
        Remove(key);
        Add(key, value);
    }

    public void Dispose()
    {
        foreach (var t in tensors.Values) t.Dispose();
    }
}
