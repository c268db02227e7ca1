namespace ProbeBench.Core.Heads;

/// <summary>Every probe head, one line each (each head lives in its own folder); <c>--heads</c>, plan validation and the README's list come from here.</summary>
public static class HeadRegistry
{
    public static IReadOnlyList<IProbeHead> All { get; } =
    [
        new LogisticRegression.LogisticRegressionHead(),
        new Knn.KnnHead(),
        new Linear.LinearGridHead(),
        new NearestClassMean.NearestClassMeanHead(),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(h => h.Name).ToList();

    public static IProbeHead? Find(string name) => All.FirstOrDefault(h => h.Name == name.Trim().ToLowerInvariant());

    public static IProbeHead Get(string name) =>
        Find(name) ?? throw new ProbeBenchException($"Unknown head '{name}'; use {string.Join(", ", Names)}.");

    /// <summary>"logreg: …; knn: …" for help texts.</summary>
    public static string Help => string.Join("; ", All.Select(h => $"{h.Name} ({h.Summary})"));
}
