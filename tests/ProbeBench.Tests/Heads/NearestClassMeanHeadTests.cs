using ProbeBench.Core.Extraction;
using ProbeBench.Core.Heads;
using ProbeBench.Core.Heads.NearestClassMean;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Results;
using ProbeBench.Tests.Probes;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Heads;

public sealed class NearestClassMeanHeadTests
{
    [SharedFact]
    public void Predictions_are_the_nearest_normalised_class_mean_computed_independently()
    {
        var train = HeadsSmallFixture.Train;
        var test = HeadsSmallFixture.Test;
        var scores = NearestClassMeanClassifier.Predict(NearestClassMeanClassifier.Fit(train), test);

        // The same rule in float64, written out: normalise, average per class, normalise, argmax cosine.
        double[] Unit(ReadOnlySpan<float> row)
        {
            var norm = Math.Sqrt(row.ToArray().Sum(v => (double)v * v));
            return row.ToArray().Select(v => v / norm).ToArray();
        }
        var means = Enumerable.Range(0, train.ClassCount).Select(c =>
        {
            var rows = Enumerable.Range(0, train.Rows).Where(r => train.Labels[r] == c).Select(r => Unit(train.Row(r))).ToList();
            var mean = Enumerable.Range(0, train.Dim).Select(j => rows.Average(x => x[j])).ToArray();
            var norm = Math.Sqrt(mean.Sum(v => v * v));
            return mean.Select(v => v / norm).ToArray();
        }).ToList();
        var agree = 0;
        for (var r = 0; r < test.Rows; r++)
        {
            var x = Unit(test.Row(r));
            var expected = Enumerable.Range(0, means.Count).MaxBy(c => means[c].Zip(x, (a, b) => a * b).Sum());
            if (scores.ArgMax(r) == expected) agree++;
        }
        Assert.Equal(test.Rows, agree);
        var top1 = Enumerable.Range(0, test.Rows).Count(r => scores.ArgMax(r) == test.Labels[r]) / (double)test.Rows;
        Assert.InRange(top1, 0.5, 1.0); // Gaussian class clusters: a class mean is a real baseline here
    }

    [Fact]
    public void A_class_absent_from_train_is_never_predicted_and_the_head_reports_one_row()
    {
        var train = new FeatureSet([1, 0, 0.9f, 0.1f, 0, 1], 3, 2, [0, 0, 1], 3);
        var test = new FeatureSet([1, 0.05f, 0.1f, 1, -1, -1], 3, 2, [0, 1, 2], 3);
        var choice = LayerChoiceParser.Parse("cls@last", 1)[0];
        var rows = new NearestClassMeanHead().Run([new LayerFeatures(choice, train)], [new LayerFeatures(choice, test)],
            new HeadContext(new HeadSettings(BootstrapSamples: 20), new ResultRow { Model = "m", Dataset = "d" }));
        var row = Assert.Single(rows);
        Assert.Equal(("ncm", "cls@last", "cosine", true), (row.Head, row.LayerChoice, row.Setting, row.Primary));
        Assert.Equal(2 / 3.0, row.Top1!.Value, 6);
        var scores = NearestClassMeanClassifier.Predict(NearestClassMeanClassifier.Fit(train), test);
        Assert.All(Enumerable.Range(0, 3), r => Assert.NotEqual(2, scores.ArgMax(r)));
        Assert.Null(row.LogLoss); // cosine scores are not probabilities
    }
}
