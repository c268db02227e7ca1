using System.Globalization;
using ProbeBench.Core.Probes;

namespace ProbeBench.Core.Heads.LogisticRegression;

/// <summary>The logRegGrid setting: <c>dinov2</c> (10^linspace(-6, 5, 45)), <c>coarse</c> (10^-4 … 10^3) or a comma list of C values.</summary>
public static class LogisticRegressionGrid
{
    public const string Help = "dinov2 (45 values, 10^-6 … 10^5), coarse (10^-4 … 10^3), or a comma list of C values";

    /// <summary>The grid in words for result rows: "dinov2 (45 values)", "coarse (8 values)" or the list itself.</summary>
    public static string Describe(string text)
    {
        var grid = Parse(text);
        var name = text.Trim().ToLowerInvariant();
        return name is "dinov2" or "coarse"
            ? $"{name} ({grid.Count} values)"
            : string.Join(",", grid.Select(c => c.ToString("G6", CultureInfo.InvariantCulture)));
    }

    public static IReadOnlyList<double> Parse(string text) => Problem(text, out var grid) is { } problem ? throw new ProbeBenchException(problem) : grid;

    /// <summary>Null when <paramref name="text"/> is a grid (then <paramref name="grid"/> holds it), else why not.</summary>
    public static string? Problem(string text, out IReadOnlyList<double> grid)
    {
        grid = [];
        switch (text.Trim().ToLowerInvariant())
        {
            case "dinov2":
                grid = LogisticRegressionProbe.Dinov2Grid;
                return null;
            case "coarse":
                grid = LogisticRegressionProbe.CoarseGrid;
                return null;
        }
        var values = new List<double>();
        foreach (var v in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var c) || !(c > 0) || double.IsInfinity(c))
                return $"'{v}' is not a positive number; use {Help}";
            if (!LogisticRegressionProbe.IsUsableC(c))
                return $"C = {v} is outside {LogisticRegressionProbe.MinC:0e0} to {LogisticRegressionProbe.MaxC:0e0} (ML.NET's L2Regularization = 1/C is a float); use {Help}";
            values.Add(c);
        }
        if (values.Count == 0) return $"'{text}' names no C value; use {Help}";
        grid = values;
        return null;
    }
}
