namespace ProbeBench.Core.Data;

/// <summary>
/// The one seeded, stratified sampler (dataset subsets and validation hold-outs alike). Each class gets its share of the
/// total by largest remainders (ties to the lower class), optionally clamped per class; rows are then drawn class by
/// class in ascending label order with one seeded shuffle each, and come back in ascending order.
/// </summary>
public static class StratifiedSampler
{
    /// <summary>
    /// <paramref name="count"/> rows of <paramref name="labels"/> in class proportion. With <paramref name="holdOut"/>, a class
    /// of at least two rows gives at least one and never all of them (a validation split must leave every class in fit).
    /// </summary>
    public static int[] Sample(IReadOnlyList<int> labels, int count, int seed, bool holdOut = false)
    {
        if (count < 0 || count > labels.Count)
            throw new ProbeBenchException($"A stratified sample of {count} rows cannot be drawn from {labels.Count}.");
        var classes = Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key).Select(g => g.ToArray()).ToList();
        var exact = classes.Select(c => (double)c.Length * count / Math.Max(labels.Count, 1)).ToList();
        var quota = exact.Select(e => (int)Math.Floor(e)).ToArray();
        foreach (var c in exact.Select((e, c) => (Remainder: e - Math.Floor(e), Class: c)).OrderByDescending(x => x.Remainder).ThenBy(x => x.Class)
                     .Take(count - quota.Sum()))
            quota[c.Class]++;
        if (holdOut)
            for (var c = 0; c < classes.Count; c++)
                quota[c] = classes[c].Length < 2 ? 0 : Math.Clamp(quota[c], 1, classes[c].Length - 1);

        var random = new Random(seed);
        var chosen = new List<int>(quota.Sum());
        for (var c = 0; c < classes.Count; c++)
        {
            var members = classes[c];
            random.Shuffle(members);
            chosen.AddRange(members.Take(quota[c]));
        }
        chosen.Sort();
        return chosen.ToArray();
    }

    /// <summary>
    /// Splits rows into fit and validation parts: about <paramref name="fraction"/> of each class to validation (see
    /// <see cref="Sample"/> with holdOut), both in ascending order.
    /// </summary>
    public static (int[] Fit, int[] Validation) Split(IReadOnlyList<int> labels, double fraction, int seed)
    {
        if (!(fraction > 0 && fraction < 1))
            throw new ProbeBenchException($"the validation fraction must lie strictly between 0 and 1, got {fraction}.");
        var validation = Sample(labels, (int)Math.Round(fraction * labels.Count), seed, holdOut: true);
        var isValidation = new bool[labels.Count];
        foreach (var r in validation) isValidation[r] = true;
        return (Enumerable.Range(0, labels.Count).Where(r => !isValidation[r]).ToArray(), validation);
    }
}
