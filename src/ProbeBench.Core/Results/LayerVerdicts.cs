using System.Globalization;
using ProbeBench.Core.Metrics;

namespace ProbeBench.Core.Results;

/// <summary>
/// The answer to "which layer is best?", per model × dataset × head: the layer choice with the highest top-1 among the
/// head's primary rows (hyper-parameters chosen on validation), its interval, and whether it beats cls@last by a paired
/// bootstrap on the same test samples (the difference's 95% interval lies above zero).
/// </summary>
public sealed record LayerVerdict(
    string Model, string Dataset, string Head, ResultRow Best, ResultRow? Reference, double? DifferenceLow, double? DifferenceHigh, int Candidates)
{
    /// <summary>The best choice beats cls@last: the paired interval of its gain lies above zero.</summary>
    public bool Significant => DifferenceLow > 0;

    /// <summary>One sentence: best choice, top-1 with interval, and the comparison with cls@last.</summary>
    public string Sentence()
    {
        var best = string.Create(CultureInfo.InvariantCulture,
            $"{Best.LayerChoice}{(Best.Chosen.Length > 0 ? $" ({Best.Chosen})" : "")}: {100 * Best.Top1:F2} % [{100 * Best.Top1CiLow:F2}, {100 * Best.Top1CiHigh:F2}]");
        if (Candidates == 1) return Best.LayerChoice.StartsWith("best of", StringComparison.Ordinal) ? $"chose {best} on validation" : $"{best} (the only layer choice)";
        if (Reference is null) return $"best of {Candidates}: {best}; no cls@last row to compare with";
        if (ReferenceEquals(Reference, Best)) return $"best of {Candidates}: {best}; cls@last itself is best";
        var gain = string.Create(CultureInfo.InvariantCulture,
            $"{100 * (Best.Top1 - Reference.Top1):+0.00;-0.00} pp over cls@last, paired 95% CI [{100 * DifferenceLow:+0.00;-0.00;0.00}, {100 * DifferenceHigh:+0.00;-0.00;0.00}]");
        return DifferenceLow is null
            ? $"best of {Candidates}: {best}; {100 * (Best.Top1 - Reference.Top1):+0.00;-0.00} pp over cls@last (not paired: no per-sample predictions)"
            : $"best of {Candidates}: {best}; {gain}: {(Significant ? "significantly better" : "not significantly better")}";
    }

    public static IReadOnlyList<LayerVerdict> Of(IReadOnlyList<ResultRow> rows, int bootstrapSamples = 2000, int seed = 0)
    {
        var verdicts = new List<LayerVerdict>();
        foreach (var group in rows.Where(r => r.IsAccuracy && r.Primary && r.Top1 is not null).GroupBy(r => (Model: r.ModelLabel, r.DatasetLabel, r.Head)))
        {
            var list = group.ToList();
            var best = list.OrderByDescending(r => r.Top1).First();
            var reference = list.FirstOrDefault(r => r.LayerChoice == "cls@last")
                            ?? list.Where(r => r.LayerChoice.StartsWith("cls@", StringComparison.Ordinal) && r.BlockIndex is not null).MaxBy(r => r.BlockIndex);
            double? low = null, high = null;
            if (reference is not null && !ReferenceEquals(reference, best) && Paired(best, reference))
            {
                var a = reference.Predictions!.Select((p, i) => p == reference.TestLabels![i]).ToList();
                var b = best.Predictions!.Select((p, i) => p == best.TestLabels![i]).ToList();
                (low, high) = Bootstrap.PairedDifferenceInterval(a, b, new BootstrapOptions(bootstrapSamples, seed));
            }
            verdicts.Add(new LayerVerdict(group.Key.Model, group.Key.DatasetLabel, group.Key.Head, best, reference, low, high, list.Count));
        }
        return verdicts;
    }

    private static bool Paired(ResultRow a, ResultRow b) =>
        a.Predictions is not null && b.Predictions is not null && a.TestLabels is not null && b.TestLabels is not null
        && a.Predictions.Count == a.TestLabels.Count && b.Predictions.Count == b.TestLabels.Count
        && a.TestSamples == b.TestSamples && a.TestLabels.SequenceEqual(b.TestLabels);
}
