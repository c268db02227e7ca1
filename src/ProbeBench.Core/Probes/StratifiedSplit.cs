namespace ProbeBench.Core.Probes;

/// <summary>Seeded per-class hold-out splits for choosing hyper-parameters.</summary>
public static class StratifiedSplit
{
    /// <summary>
    /// Each class with at least two rows gives round(<paramref name="fraction"/> × its rows), at least one and
    /// never all, to validation; rows come back in ascending order.
    /// </summary>
    public static (int[] Fit, int[] Validation) Split(IReadOnlyList<int> labels, double fraction, int seed)
    {
        if (!(fraction > 0 && fraction < 1))
            throw new ProbeBenchException($"the validation fraction must lie strictly between 0 and 1, got {fraction}.");
        var random = new Random(seed);
        var isValidation = new bool[labels.Count];
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            if (members.Length < 2) continue;
            random.Shuffle(members);
            var take = Math.Clamp((int)Math.Round(fraction * members.Length), 1, members.Length - 1);
            foreach (var r in members.Take(take)) isValidation[r] = true;
        }
        return (Enumerable.Range(0, labels.Count).Where(r => !isValidation[r]).ToArray(),
                Enumerable.Range(0, labels.Count).Where(r => isValidation[r]).ToArray());
    }
}
