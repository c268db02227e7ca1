namespace ProbeBench.Core.Probes;

/// <summary>
/// How the C sweep is cut into warm-started chains: the grid's indices in ascending C, dealt round-robin to the chains,
/// so every chain spans the whole range (the expensive large-C fits are shared out) and steps up by a constant factor.
/// </summary>
internal static class LogisticRegressionWarmChains
{
    /// <summary>The chains (each ascending in C); <paramref name="chains"/> = 0 gives one chain per C (every fit cold).</summary>
    public static IReadOnlyList<int[]> Of(IReadOnlyList<double> grid, int chains)
    {
        var ascending = Enumerable.Range(0, grid.Count).OrderBy(i => grid[i]).ThenBy(i => i).ToArray();
        var count = chains <= 0 ? grid.Count : Math.Min(chains, grid.Count);
        return Enumerable.Range(0, count).Select(c => ascending.Where((_, position) => position % count == c).ToArray()).ToArray();
    }
}
