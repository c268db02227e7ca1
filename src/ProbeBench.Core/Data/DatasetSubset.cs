namespace ProbeBench.Core.Data;

/// <summary>Seeded, stratified subsets of a split (for <c>--limit-train</c>/<c>--limit-test</c>).</summary>
public static class DatasetSubset
{
    /// <summary>
    /// Indices of a stratified subset of <paramref name="count"/> items (<see cref="StratifiedSampler"/>), in ascending
    /// order; null (all items) when <paramref name="count"/> is not below the dataset size.
    /// </summary>
    public static IReadOnlyList<int>? Stratified(IImageDataset dataset, int? count, int seed)
    {
        if (count is null || count >= dataset.Count) return null;
        if (count <= 0) throw new ProbeBenchException($"A subset must hold at least one item; got {count}.");
        var labels = new int[dataset.Count];
        for (var i = 0; i < labels.Length; i++) labels[i] = dataset.GetLabel(i);
        return StratifiedSampler.Sample(labels, count.Value, seed);
    }
}
