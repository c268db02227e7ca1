using System.Diagnostics.CodeAnalysis;

namespace ProbeBench.Core.Data;

/// <summary>
/// The keys a dataset's files define once each (image ids, class names, the images of a split), with a value per key.
/// Adding a key twice is one error naming the file, where in it the repeat is, the key, and where it was first seen:
/// no published format repeats these, so a repeat is a damaged or hand-edited file, never something to resolve by
/// silently keeping the first or the last.
/// </summary>
/// <param name="what">What a key is, for the error ("image id", "class").</param>
public sealed class UniqueKeys<TValue>(string what)
{
    private readonly Dictionary<string, (TValue Value, string File, string Where)> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>The keys, in no particular order.</summary>
    public IEnumerable<string> Keys => _entries.Keys;

    /// <param name="file">The file the key was read from.</param>
    /// <param name="where">Where in it ("line 7", "trnid(3)").</param>
    public void Add(string key, TValue value, string file, string where)
    {
        if (_entries.TryGetValue(key, out var first))
            throw new ProbeBenchException(
                $"{file}: {where} repeats the {what} {DataFiles.Quote(key)} of {first.Where}{(first.File == file ? "" : $" in {first.File}")}.");
        _entries.Add(key, (value, file, where));
    }

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        var found = _entries.TryGetValue(key, out var entry);
        value = entry.Value;
        return found;
    }
}

public static class UniqueKeys
{
    /// <summary>Each line's text → its 0-based position (a class list: the position is the label); a repeated line is an error.</summary>
    public static UniqueKeys<int> Positions(IReadOnlyList<NumberedLine> lines, string file, string what)
    {
        var positions = new UniqueKeys<int>(what);
        for (var i = 0; i < lines.Count; i++) positions.Add(lines[i].Text, i, file, $"line {lines[i].Number}");
        return positions;
    }

    /// <summary>Each name → its 0-based position; a repeated name is an error, <paramref name="where"/> naming a position in the file.</summary>
    public static UniqueKeys<int> Positions(IReadOnlyList<string> names, string file, string what, Func<int, string> where)
    {
        var positions = new UniqueKeys<int>(what);
        for (var i = 0; i < names.Count; i++) positions.Add(names[i], i, file, where(i));
        return positions;
    }
}
