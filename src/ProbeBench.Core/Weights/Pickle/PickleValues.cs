namespace ProbeBench.Core.Weights.Pickle;

/// <summary>A global the unpickler allowed (module + name); never resolved to real code.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

internal sealed record PickleTuple(object?[] Items);

internal sealed class PickleList : List<object?>;

/// <summary>A dict (or OrderedDict) in insertion order; keys compare by value equality.</summary>
internal sealed class PickleDict
{
    private readonly List<KeyValuePair<object?, object?>> _items = [];
    private readonly Dictionary<object, int> _index = [];

    public IReadOnlyList<KeyValuePair<object?, object?>> Items => _items;

    public void Set(object? key, object? value)
    {
        if (key is null || key is PickleList or PickleDict)
            throw new PickleException("a dict key is not a hashable value");
        if (_index.TryGetValue(key, out var at)) _items[at] = new(key, value);
        else
        {
            _index[key] = _items.Count;
            _items.Add(new(key, value));
        }
    }
}

/// <summary>Malformed or forbidden pickle content; the reader turns it into one sentence naming the file.</summary>
internal sealed class PickleException(string message) : Exception(message);
