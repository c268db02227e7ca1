namespace ProbeBench.Core.Data;

/// <summary>Seeded, stratified subsets of a split (for <c>--limit-train</c>/<c>--limit-test</c>).</summary>
public static class DatasetSubset
{
    /// <summary>
    /// Indices of a stratified subset of <paramref name="count"/> items: each class gets its share (largest
    /// remainders first), items drawn with a seeded shuffle; returned in ascending order. All indices when
    /// <paramref name="count"/> is not below the dataset size.
    /// </summary>
    public static IReadOnlyList<int>? Stratified(IImageDataset dataset, int? count, int seed)
    {
        if (count is null || count >= dataset.Count) return null;
        if (count <= 0) throw new ProbeBenchException($"A subset must hold at least one item; got {count}.");
        var byClass = Enumerable.Range(0, dataset.Count).GroupBy(dataset.GetLabel).OrderBy(g => g.Key)
            .Select(g => g.ToArray()).ToList();
        var exact = byClass.Select(g => (double)g.Length * count.Value / dataset.Count).ToList();
        var quota = exact.Select(e => (int)Math.Floor(e)).ToArray();
        foreach (var c in exact.Select((e, c) => (Remainder: e - Math.Floor(e), Class: c)).OrderByDescending(x => x.Remainder).ThenBy(x => x.Class)
                     .Take(count.Value - quota.Sum()))
            quota[c.Class]++;

        var random = new Random(seed);
        var chosen = new List<int>(count.Value);
        for (var c = 0; c < byClass.Count; c++)
        {
            var members = byClass[c];
            random.Shuffle(members);
            chosen.AddRange(members.Take(quota[c]));
        }
        chosen.Sort();
        return chosen;
    }
}
