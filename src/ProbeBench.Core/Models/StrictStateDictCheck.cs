namespace ProbeBench.Core.Models;

/// <summary>
/// Strict loading: the checkpoint must hold exactly the expected keys with exactly the expected shapes.
/// Every problem is gathered into one <see cref="ProbeBenchException"/> that lists the keys.
/// </summary>
public static class StrictStateDictCheck
{
    private const int MaxListed = 12;

    /// <summary>Throws when <paramref name="actual"/> (key → shape) differs from <paramref name="expected"/>.</summary>
    public static void Verify(IReadOnlyDictionary<string, long[]> expected, IReadOnlyDictionary<string, long[]> actual, string source)
    {
        var missing = expected.Keys.Where(k => !actual.ContainsKey(k)).ToList();
        var unexpected = actual.Keys.Where(k => !expected.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var mismatched = expected
            .Where(e => actual.TryGetValue(e.Key, out var shape) && !shape.SequenceEqual(e.Value))
            .Select(e => $"{e.Key} is {Format(actual[e.Key])} but the model needs {Format(e.Value)}")
            .ToList();
        if (missing.Count == 0 && unexpected.Count == 0 && mismatched.Count == 0) return;

        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"missing keys: {List(missing)}");
        if (unexpected.Count > 0) parts.Add($"unexpected keys: {List(unexpected)}");
        if (mismatched.Count > 0) parts.Add($"shape mismatches: {List(mismatched)}");
        throw new ProbeBenchException($"{source} does not fit the model ({string.Join("; ", parts)}).");
    }

    public static string Format(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";

    private static string List(IReadOnlyList<string> items) =>
        items.Count <= MaxListed
            ? string.Join(", ", items)
            : $"{string.Join(", ", items.Take(MaxListed))} and {items.Count - MaxListed} more";
}
