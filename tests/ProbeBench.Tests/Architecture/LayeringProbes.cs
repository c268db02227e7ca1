// Types that break the layering on purpose, so LayeringTests can show that its check catches a backward arrow.
// They live in Core's namespaces but in the test assembly; the real check scans only Core.

namespace ProbeBench.Core.Cache.LayeringProbe
{
    internal sealed class UsesAResultRow
    {
        public Results.ResultRow Row { get; } = new();
    }
}

namespace ProbeBench.Core.Weights.LayeringProbe
{
    internal static class ReadsTheCache
    {
        public static int Entries(string root) => new Cache.FeatureCache(root).List().Count;
    }
}
