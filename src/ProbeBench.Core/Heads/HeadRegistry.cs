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
        new Depth.DepthHead(),
        new Segmentation.SegmentationHead(),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(h => h.Name).ToList();

    public static IProbeHead? Find(string name) => All.FirstOrDefault(h => h.Name == name.Trim().ToLowerInvariant());

    public static IProbeHead Get(string name) =>
        Find(name) ?? throw new ProbeBenchException($"Unknown head '{name}'; use {string.Join(", ", Names)}.");

    /// <summary>The README's list of heads, one Markdown bullet each (<c>probebench heads --markdown</c> prints it).</summary>
    public static string Markdown() => string.Join('\n', All.Select(h =>
        $"- `{h.Name}`: {h.Summary}{(h.PlanFields.Count > 0 ? $" (settings: {string.Join(", ", h.PlanFields.Select(f => $"`{f}`"))})" : "")}.")) + "\n";

    /// <summary>"logreg: …; knn: …" for help texts.</summary>
    public static string Help => string.Join("; ", All.Select(h => $"{h.Name} ({h.Summary})"));
}
