using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Results;

/// <summary>The accuracy-vs-model-size figure keeps backbone families apart; results.csv records the family.</summary>
public class AccuracyVsSizeFamilyTests
{
    private static IEnumerable<ResultRow> Accuracy(string family, string model, long parameters, double top1) =>
        ResultsTestData.Rows().Where(r => r.Kind == "accuracy").Select(r => r with { Family = family, Model = model, Parameters = parameters, Top1 = top1 });

    [Fact]
    public void Each_family_is_its_own_line_even_with_one_model_each()
    {
        using var dir = new TempDirectory();
        List<ResultRow> rows = [.. Accuracy("dinov2", "dinov2_vits14", 22_000_000, 0.8), .. Accuracy("dinov3", "dinov3_vits16", 21_600_000, 0.85)];
        var written = RunFigures.Write(dir.Path, rows, []);

        Assert.Contains(written, f => f.Name == "accuracy_vs_model_size");
        var svg = File.ReadAllText(dir.File("accuracy_vs_model_size.svg"));
        Assert.Contains("dinov2 · logreg (cifar10)", svg);
        Assert.Contains("dinov3 · logreg (cifar10)", svg);
        Assert.Contains("dinov3_vits16", svg);
    }

    [Fact]
    public void The_family_column_round_trips_and_older_files_without_it_still_read()
    {
        using var dir = new TempDirectory();
        var rows = Accuracy("dinov3", "dinov3_vits16", 21_600_000, 0.85).ToList();
        using (var writer = new StreamWriter(dir.File("results.csv"))) ResultsCsv.Write(writer, rows);
        Assert.Equal(rows, ResultsCsv.Read(dir.File("results.csv")));

        var baseline = ResultsCsv.Read(Path.Combine(SharedFixtures.RepositoryRoot, "results", "baselines", "tiny-cifar10-smoke", "results.csv"));
        Assert.NotEmpty(baseline);
        Assert.All(baseline, r => Assert.Null(r.Family));
    }
}
