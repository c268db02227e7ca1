using ProbeBench.Core.Data;
using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Models;
using ProbeBench.Core.Preprocessing;

namespace ProbeBench.Core.Evaluation.Sweeps;

/// <summary>
/// Estimates each unit's work and memory from the model's shapes and the data's size (rough by design: it sizes Slurm's
/// --time and --mem and tells where the hours go; the records then hold what each unit really took).
/// </summary>
public static class SweepEstimator
{
    public static IReadOnlyList<SweepUnitEntry> Estimate(RunGraph graph, string dataRoot, double? gflops)
    {
        var splits = new Dictionary<string, (int? Rows, int Height, int Width, string Basis)>();
        var entries = new List<SweepUnitEntry>();
        foreach (var unit in graph.Units)
        {
            var cell = graph.Cells[unit.Cell];
            var estimate = unit switch
            {
                ExtractUnit e => Extract(e, cell, splits[e.Id] = SplitSize(e, dataRoot), gflops),
                HeadUnit h => Head(h, cell, Sum(h.TrainUnits.Select(id => splits[id])), Sum(h.TestUnits.Select(id => splits[id])), gflops),
                _ => new UnitEstimate(null, null, null, null, "unknown unit kind"),
            };
            entries.Add(new SweepUnitEntry(unit.Id, unit is ExtractUnit ? "extract" : "head", unit.Cell, unit.Describe(), unit.DependsOn, estimate));
        }
        return entries;
    }

    private static (int? Rows, int Height, int Width, string Basis) Sum(IEnumerable<(int? Rows, int Height, int Width, string Basis)> shards)
    {
        var list = shards.ToList();
        return (list.Any(s => s.Rows is null) ? null : list.Sum(s => s.Rows), list[0].Height, list[0].Width, list[0].Basis);
    }

    private static (int? Rows, int Height, int Width, string Basis) SplitSize(ExtractUnit unit, string dataRoot)
    {
        var size = Units.SplitSize.Of(unit, dataRoot);
        return (size.Rows, size.Height, size.Width, size.Basis);
    }

    private static UnitEstimate Extract(ExtractUnit unit, RunCell cell, (int? Rows, int Height, int Width, string Basis) split, double? gflops)
    {
        var config = cell.Architecture;
        var family = BackboneFamilies.Of(config);
        // The same estimate the extraction checks itself against before it starts, so --mem never asks for less.
        var memory = (long)Math.Ceiling(ExtractionMemory.EstimateBytes(config, family.Parameters(config), unit.BatchSize, split.Height, split.Width,
            PrecisionNames.ElementBytes(unit.Precision), cell.Choices));
        var gflop = split.Rows is { } rows ? rows * family.FlopsPerImage(config, split.Height, split.Width) / 1e9 : (double?)null;
        return new UnitEstimate(split.Rows, gflop, gflop / gflops, memory, Basis(split.Basis, split.Rows, gflops));
    }

    private static UnitEstimate Head(HeadUnit unit, RunCell cell, (int? Rows, int Height, int Width, string Basis) train,
        (int? Rows, int Height, int Width, string Basis) test, double? gflops)
    {
        var patches = train.Height / cell.Architecture.PatchSize * (train.Width / cell.Architecture.PatchSize);
        var dim = cell.Choices.Where(c => unit.Choices.Contains(c.Name)).Sum(c => (double)c.FeatureDim(cell.Architecture.EmbedDim, patches));
        if (train.Rows is not { } n || test.Rows is not { } m) return new UnitEstimate(null, null, null, null, "split sizes unknown until the data is here");
        // Classes are unknown before extraction; 100 bounds the usual probe datasets.
        const double classes = 100;
        var grid = unit.Head == "logreg" ? LogRegGridSize(unit.Settings.LogRegGrid) : 1;
        var flop = unit.Head switch
        {
            "knn" => 2.0 * n * m * dim,
            "ncm" => 2.0 * (n + m) * dim * classes,
            "logreg" => grid * 100 * 2.0 * n * dim * classes * 2,
            "linear" => 13 * 10 * 2.0 * n * dim * classes * 3,
            _ => 100 * 2.0 * n * dim * classes,
        };
        var memory = (long)((n + m) * dim * 4 * 3 + (unit.Head == "knn" ? Math.Min(n, 1L << 16) * (double)m * 4 : 0));
        return new UnitEstimate(m, flop / 1e9, flop / 1e9 / gflops, memory, Basis(train.Basis, n, gflops));
    }

    private static int LogRegGridSize(string grid) => grid switch
    {
        "dinov2" => 45,
        "coarse" => 8,
        _ => grid.Split(',', StringSplitOptions.RemoveEmptyEntries).Length,
    };

    private static string Basis(string data, int? rows, double? gflops) =>
        string.Join("; ", new[]
        {
            data,
            rows is null ? "image count unknown" : "",
            gflops is null ? "no device rate: give --device-gflops for times" : "",
        }.Where(s => s != ""));
}
