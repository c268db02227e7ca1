using ProbeBench.Core;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Probes;
using Xunit.Abstractions;

namespace ProbeBench.Tests.Probes;

public class LinearProbeGridTests(ITestOutputHelper output)
{
    private static readonly LinearProbeGridOptions Fast = new() { BatchSize = 64, Epochs = 8, Seed = 1 };

    [Fact]
    public void Picks_the_informative_features_and_a_sensible_learning_rate_and_reaches_high_test_accuracy()
    {
        var (train, validation, test) = Synthetic(seed: 2);
        var result = LinearProbeGrid.Fit(train, validation, Fast);
        foreach (var c in result.Candidates) output.WriteLine(c.ToString());

        Assert.Equal(2 * LinearProbeGridOptions.DinoV2LearningRates.Count, result.Candidates.Count);
        Assert.Equal("signal", result.Best.FeatureName);
        Assert.True(result.Best.BaseLearningRate >= 1e-3, $"best base learning rate {result.Best.BaseLearningRate}");
        Assert.Equal(result.Best.BaseLearningRate * 64 / 256, result.Best.LearningRate, 12);
        var slowest = result.Candidates.Single(c => c.FeatureName == "signal" && c.BaseLearningRate == 1e-5);
        Assert.True(slowest.ValidationTop1 < result.Best.ValidationTop1 - 0.2,
            $"lr 1e-5 reached {slowest.ValidationTop1} on validation, the best {result.Best.ValidationTop1}");
        Assert.True(result.Candidates.Where(c => c.FeatureName == "noise").All(c => c.ValidationTop1 < 0.5));

        var scores = result.PredictBest(test);
        Assert.True(scores.AreProbabilities);
        var labels = test[0].Features.Labels;
        var accuracy = Enumerable.Range(0, scores.Rows).Count(r => scores.ArgMax(r) == labels[r]) / (double)scores.Rows;
        output.WriteLine($"best {result.Best}, test top-1 {accuracy}, train time {result.TrainTime.TotalMilliseconds:F0} ms");
        Assert.True(accuracy >= 0.95, $"test top-1 {accuracy}");
    }

    [Fact]
    public void Same_seed_gives_identical_classifiers_and_another_seed_does_not()
    {
        var (train, validation, _) = Synthetic(seed: 4);
        var options = Fast with { BaseLearningRates = [1e-3, 1e-2], Epochs = 2 };
        var first = LinearProbeGrid.Fit(train, validation, options);
        var second = LinearProbeGrid.Fit(train, validation, options);
        var other = LinearProbeGrid.Fit(train, validation, options with { Seed = 2 });

        Assert.Equal(first.Candidates, second.Candidates);
        Assert.Equal(first.BestModel.Weight, second.BestModel.Weight);
        Assert.Equal(first.BestModel.Bias, second.BestModel.Bias);
        Assert.NotEqual(first.BestModel.Weight, other.BestModel.Weight);
    }

    [Fact]
    public void Reports_every_step_and_stops_before_the_next_when_cancelled()
    {
        var (train, validation, _) = Synthetic(seed: 2);
        var steps = new List<(int Done, int Total)>();
        LinearProbeGrid.Fit(train, validation, Fast, (done, total) => steps.Add((done, total)));
        Assert.Equal(Enumerable.Range(1, steps.Count), steps.Select(s => s.Done));
        Assert.All(steps, s => Assert.Equal(steps.Count, s.Total));

        using var cancellation = new CancellationTokenSource();
        var reported = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => LinearProbeGrid.Fit(train, validation, Fast,
            (done, _) => { reported = done; if (done == 2) cancellation.Cancel(); }, cancellation.Token));
        Assert.Equal(2, reported);
    }

    [Fact]
    public void Validation_split_is_stratified_and_seeded()
    {
        var (all, _, _) = Synthetic(seed: 6);
        var (train, validation) = LinearProbeGrid.SplitValidation(all, 0.1, seed: 3);
        var (_, again) = LinearProbeGrid.SplitValidation(all, 0.1, seed: 3);

        Assert.Equal(all[0].Features.Rows, train[0].Features.Rows + validation[0].Features.Rows);
        for (var c = 0; c < 5; c++)
            Assert.Equal(12, validation[0].Features.Labels.Count(l => l == c)); // 10% of 120 rows per class
        Assert.Equal(validation[1].Features.Values, again[1].Features.Values);
        Assert.Equal(validation[0].Features.Labels, validation[1].Features.Labels);
    }

    public static TheoryData<string, string> InvalidInputs() => new()
    {
        { "nan", "NaN or infinite" },
        { "zero-rows", "zero rows" },
        { "dim-mismatch", "feature dimensions" },
        { "one-class", "only one class" },
        { "label-range", "outside [0, 5)" },
        { "rows-differ", "same rows and labels" },
        { "no-rates", "BaseLearningRates" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public void Invalid_input_fails_with_one_clear_error(string kind, string expectedFragment)
    {
        var (train, validation, _) = Synthetic(seed: 8);
        var options = Fast;
        var t0 = train[0].Features;
        switch (kind)
        {
            case "nan": t0.Values[5] = float.NaN; break;
            case "zero-rows": validation = [validation[0] with { Features = validation[0].Features with { Values = [], Rows = 0, Labels = [] } }, validation[1]]; break;
            case "dim-mismatch": validation = [validation[0] with { Features = validation[0].Features with { Dim = 8, Values = new float[validation[0].Features.Rows * 8] } }, validation[1]]; break;
            case "one-class": train = train.Select(t => t with { Features = t.Features with { Labels = new int[t.Features.Rows] } }).ToArray(); break;
            case "label-range": t0.Labels[0] = 5; break;
            case "rows-differ": train = [train[0], train[1] with { Features = train[1].Features with { Labels = train[1].Features.Labels.Reverse().ToArray() } }]; break;
            case "no-rates": options = options with { BaseLearningRates = [] }; break;
        }
        var error = Assert.Throws<ProbeBenchException>(() => LinearProbeGrid.Fit(train, validation, options));
        Assert.Contains(expectedFragment, error.Message);
    }

    /// <summary>
    /// Five classes; feature choice "signal" (16-d) has class means 3 apart plus unit noise, "noise" (16-d)
    /// is pure noise. 600 train, 200 validation, 300 test rows.
    /// </summary>
    private static (LinearProbeFeatures[] Train, LinearProbeFeatures[] Validation, LinearProbeFeatures[] Test) Synthetic(int seed)
    {
        var random = new Random(seed);
        var means = new float[5, 16];
        for (var c = 0; c < 5; c++)
            for (var d = 0; d < 16; d++)
                means[c, d] = (float)(Gaussian(random) * 3 / Math.Sqrt(2));
        LinearProbeFeatures[] Split(int rows)
        {
            var labels = Enumerable.Range(0, rows).Select(r => r % 5).ToArray();
            var signal = new float[rows * 16];
            var noise = new float[rows * 16];
            for (var r = 0; r < rows; r++)
                for (var d = 0; d < 16; d++)
                {
                    signal[r * 16 + d] = means[labels[r], d] + (float)Gaussian(random);
                    noise[r * 16 + d] = (float)Gaussian(random);
                }
            return [new("signal", new FeatureSet(signal, rows, 16, labels, 5)), new("noise", new FeatureSet(noise, rows, 16, labels.ToArray(), 5))];
        }
        return (Split(600), Split(200), Split(300));
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
