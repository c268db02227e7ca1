using System.Globalization;
using System.Text.Json;
using ProbeBench.Core;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Metrics;
using ProbeBench.Core.Probes;
using ProbeBench.Tests.TestSupport;
using Xunit.Abstractions;

namespace ProbeBench.Tests.Probes;

public class LogisticRegressionProbeTests(ITestOutputHelper output)
{
    [SharedFact]
    public void Matches_scikit_learn_test_top1_within_one_point_for_every_C()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(SharedFixtures.Path("fixtures", "heads", "heads_small.json")));
        var worst = 0.0;
        foreach (var entry in json.RootElement.GetProperty("sklearn_logistic_regression_lbfgs_l2").EnumerateObject())
        {
            var c = double.Parse(entry.Name, CultureInfo.InvariantCulture);
            var model = LogisticRegressionProbe.Fit(HeadsSmallFixture.Train, c, new LogisticRegressionOptions(FitThreads: 1));
            var metrics = ClassificationEvaluator.Evaluate(HeadsSmallFixture.Test.Labels, model.Predict(HeadsSmallFixture.Test), new BootstrapOptions(Samples: 10));
            var expected = entry.Value.GetProperty("test_top1").GetDouble();
            var gap = Math.Abs(metrics.Top1 - expected) * 100;
            worst = Math.Max(worst, gap);
            output.WriteLine($"C={c}: ML.NET {metrics.Top1:P1} vs scikit-learn {expected:P1} (gap {gap:F2} pp); log-loss {metrics.LogLoss:F4} vs {entry.Value.GetProperty("mean_test_log_loss").GetDouble():F4}");
            Assert.True(gap <= 1.0, $"C={c}: gap {gap:F2} pp");
            // Log-loss pins the regularisation mapping (λ = 1/C); λ = 1/(C·n) would be off by far more than 1 %.
            var expectedLogLoss = entry.Value.GetProperty("mean_test_log_loss").GetDouble();
            Assert.True(Math.Abs(metrics.LogLoss!.Value - expectedLogLoss) <= 0.01 * expectedLogLoss,
                $"C={c}: log-loss {metrics.LogLoss:F4} vs scikit-learn {expectedLogLoss:F4}");
        }
        output.WriteLine($"worst gap: {worst:F2} pp");
    }

    [SharedFact]
    public void Warm_started_fits_match_scikit_learn_test_top1_within_one_point_for_every_C()
    {
        // One chain up the fixture's C values, each fit starting from the previous C's solution, as the sweep's chains do.
        using var json = JsonDocument.Parse(File.ReadAllText(SharedFixtures.Path("fixtures", "heads", "heads_small.json")));
        var entries = json.RootElement.GetProperty("sklearn_logistic_regression_lbfgs_l2").EnumerateObject().ToList();
        var cs = entries.Select(e => double.Parse(e.Name, CultureInfo.InvariantCulture)).ToList();
        var models = LogisticRegressionProbe.FitPath(HeadsSmallFixture.Train, cs, new LogisticRegressionOptions(FitThreads: 1));
        for (var i = 0; i < cs.Count; i++)
        {
            var metrics = ClassificationEvaluator.Evaluate(HeadsSmallFixture.Test.Labels, models[i].Predict(HeadsSmallFixture.Test), new BootstrapOptions(Samples: 10));
            var expected = entries[i].Value.GetProperty("test_top1").GetDouble();
            var expectedLogLoss = entries[i].Value.GetProperty("mean_test_log_loss").GetDouble();
            output.WriteLine($"C={cs[i]}: warm ML.NET {metrics.Top1:P1} vs scikit-learn {expected:P1}; log-loss {metrics.LogLoss:F4} vs {expectedLogLoss:F4}");
            Assert.Equal(cs[i], models[i].C);
            Assert.True(Math.Abs(metrics.Top1 - expected) * 100 <= 1.0, $"C={cs[i]}: top-1 {metrics.Top1:P2} vs scikit-learn {expected:P2}");
            Assert.True(Math.Abs(metrics.LogLoss!.Value - expectedLogLoss) <= 0.01 * expectedLogLoss, $"C={cs[i]}: log-loss {metrics.LogLoss:F4} vs {expectedLogLoss:F4}");
        }
    }

    [SharedFact]
    public void The_warm_sweep_matches_the_cold_sweep_s_validation_top1_up_to_C_10_and_chooses_as_well()
    {
        var cold = LogisticRegressionProbe.Sweep(HeadsSmallFixture.Train, new LogisticRegressionOptions(WarmStartChains: 0));
        var warm = LogisticRegressionProbe.Sweep(HeadsSmallFixture.Train, new LogisticRegressionOptions());
        foreach (var (w, c) in warm.Grid.Zip(cold.Grid))
            output.WriteLine($"C={w.C:G3}: warm {w.ValidationTop1:P1} cold {c.ValidationTop1:P1}");
        // Up to C = 10 (the range scikit-learn pins on this fixture) both reach the same optimum (the objective test below);
        // where the weights are nearly zero (C ~ 1e-5, 13 % top-1) classes tie on validation rows to 1e-7, so a couple of
        // rows go either way: the same one-point tolerance as against scikit-learn. Beyond C = 10 the objective is nearly
        // flat and each stops elsewhere in it.
        foreach (var (w, c) in warm.Grid.Zip(cold.Grid).Where(p => p.First.C <= 10))
            Assert.True(Math.Abs(w.ValidationTop1 - c.ValidationTop1) <= 0.01 + 1e-9, $"C={w.C:G3}: warm {w.ValidationTop1:P1} vs cold {c.ValidationTop1:P1}");
        // The C chosen warm is as good on the cold sweep's validation as the cold choice, within the same one point: an
        // exact tie between neighbouring C may break the other way where ML.NET's arithmetic differs (another CPU).
        var coldAtWarmChoice = cold.Grid.Single(g => g.C == warm.BestC).ValidationTop1;
        Assert.True(cold.Grid.Max(g => g.ValidationTop1) - coldAtWarmChoice <= 0.01 + 1e-9, $"warm chose C={warm.BestC:G3}, cold C={cold.BestC:G3}");
    }

    [SharedFact]
    public void Warm_starts_reach_the_cold_fit_s_objective_up_to_C_1000()
    {
        // Beyond C ≈ 1e3 the fixture is nearly separable, ML.NET's stopping rule (mean relative improvement) ends both
        // runs in a flat valley short of the optimum, and where each ends differs by a few percent either way.
        var train = HeadsSmallFixture.Train;
        var grid = LogisticRegressionProbe.Dinov2Grid.Where(c => c <= 1000).ToList();
        var options = new LogisticRegressionOptions(FitThreads: 1);
        var warm = LogisticRegressionProbe.FitPath(train, grid, options);
        for (var i = 0; i < grid.Count; i++)
        {
            var (w, c) = (warm[i].Objective(train), LogisticRegressionProbe.Fit(train, grid[i], options).Objective(train));
            output.WriteLine($"C={grid[i]:G3}: objective warm {w:G8} cold {c:G8}");
            Assert.True(w <= c * (1 + 1e-3), $"C={grid[i]:G3}: the warm fit stopped at objective {w:G8}, the cold one at {c:G8}");
        }
    }

    [Fact]
    public void Warm_chains_deal_the_ascending_grid_round_robin()
    {
        double[] grid = [10, 0.1, 1, 100, 0.01];
        Assert.Equal([[4, 2, 3], [1, 0]], LogisticRegressionWarmChains.Of(grid, 2));
        Assert.Equal([[4], [1], [2], [0], [3]], LogisticRegressionWarmChains.Of(grid, 0));
        Assert.Equal([[4, 1, 2, 0, 3]], LogisticRegressionWarmChains.Of(grid, 1));
        Assert.Equal(5, LogisticRegressionWarmChains.Of(grid, 9).Count);
    }

    [SharedFact]
    public void The_sweep_picks_a_C_on_validation_and_is_deterministic()
    {
        var options = new LogisticRegressionOptions(CValues: [1e-4, 1e-2, 1, 100], Seed: 3);
        var first = LogisticRegressionProbe.Sweep(HeadsSmallFixture.Train, options);
        var second = LogisticRegressionProbe.Sweep(HeadsSmallFixture.Train, options);

        Assert.Equal(4, first.Grid.Count);
        Assert.Equal(first.Grid.Max(g => g.ValidationTop1), first.Grid.Single(g => g.C == first.BestC).ValidationTop1);
        Assert.True(first.Grid.Single(g => g.C == 1e-4).ValidationTop1 < first.Grid.Max(g => g.ValidationTop1));
        Assert.Equal(first.Grid, second.Grid);
        Assert.Equal(first.Model.Predict(HeadsSmallFixture.Test).Values, second.Model.Predict(HeadsSmallFixture.Test).Values);
    }

    [SharedFact]
    public void The_default_sweep_gives_the_same_bits_on_one_core_as_on_many()
    {
        // Chains and gradient chunks are fixed numbers, so how many of them run at once changes the time, never the result.
        var grid = LogisticRegressionProbe.Dinov2Grid.Where((_, i) => i % 3 == 0).ToList();
        var one = LogisticRegressionProbe.Sweep(HeadsSmallFixture.Train, new LogisticRegressionOptions(CValues: grid, Parallelism: 1));
        var many = LogisticRegressionProbe.Sweep(HeadsSmallFixture.Train, new LogisticRegressionOptions(CValues: grid, Parallelism: 8));

        Assert.Equal(2, new LogisticRegressionOptions().WarmStartChains);
        Assert.Equal(one.Grid, many.Grid);
        Assert.Equal(one.BestC, many.BestC);
        Assert.Equal(one.Model.Predict(HeadsSmallFixture.Test).Values, many.Model.Predict(HeadsSmallFixture.Test).Values);
    }

    [SharedTheory]
    [InlineData(new[] { 1e-3, 1e-2, 0.1, 1, 10, 100, 1e4, 1e5 }, 2)]
    [InlineData(new[] { 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2 }, 3)]
    public void A_refit_started_early_gives_the_result_of_a_refit_after_the_sweep(double[] grid, int chains)
    {
        // Whichever worker runs out of chains first refits at the best C it can see. Whether that C stands (the first grid
        // peaks inside) or not (the second rises to its end: two workers, three chains, and the one that fits the largest C
        // runs last), the model must be the one a refit after the sweep gives.
        var train = HeadsSmallFixture.Train;
        var options = new LogisticRegressionOptions(CValues: grid, Parallelism: 2, WarmStartChains: chains);
        var after = LogisticRegressionProbe.Sweep(train, options with { EarlyRefit = false });
        for (var run = 0; run < 3; run++)
        {
            var early = LogisticRegressionProbe.Sweep(train, options);
            output.WriteLine($"run {run}: chose C={early.BestC:G3}; the early refit {(early.EarlyRefitStood ? "stood" : "was redone")}");
            Assert.Equal(after.Grid, early.Grid);
            Assert.Equal(after.BestC, early.BestC);
            Assert.Equal(after.Model.Predict(HeadsSmallFixture.Test).Values, early.Model.Predict(HeadsSmallFixture.Test).Values);
        }
        Assert.False(after.EarlyRefitStood);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Sweep_reports_each_C_once_as_it_is_fitted(int chains)
    {
        var (train, _) = KnnClassifierTests.Clusters(seed: 4);
        var reports = new System.Collections.Concurrent.ConcurrentBag<(int Done, int Total)>();
        LogisticRegressionProbe.Sweep(train, new LogisticRegressionOptions(CValues: [0.01, 0.1, 1, 10, 100], WarmStartChains: chains),
            (done, total) => reports.Add((done, total)));

        Assert.Equal([1, 2, 3, 4, 5], reports.Select(r => r.Done).Order());
        Assert.All(reports, r => Assert.Equal(5, r.Total));
    }

    [Fact]
    public void A_cancelled_sweep_stops_before_its_next_fit()
    {
        var (train, _) = KnnClassifierTests.Clusters(seed: 4);
        var grid = LogisticRegressionProbe.Dinov2Grid;
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => LogisticRegressionProbe.Sweep(train, new LogisticRegressionOptions(CValues: grid), cancellation: cancelled.Token));

        using var midway = new CancellationTokenSource();
        var fitted = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => LogisticRegressionProbe.Sweep(train, new LogisticRegressionOptions(CValues: grid),
            (done, _) => { Interlocked.Exchange(ref fitted, done); midway.Cancel(); }, midway.Token));
        // Each chain finishes at most the fit it was in when the first one reported.
        Assert.InRange(fitted, 1, new LogisticRegressionOptions().WarmStartChains);
    }

    [Fact]
    public void Sweep_reports_its_train_time_and_fills_the_head_timing()
    {
        var (train, test) = KnnClassifierTests.Clusters(seed: 4);
        var sweep = LogisticRegressionProbe.Sweep(train, new LogisticRegressionOptions(CValues: [0.1, 10]));
        var (scores, timing) = sweep.PredictTimed(test);

        Assert.Equal(sweep.Model.Predict(test).Values, scores.Values);
        Assert.True(sweep.TrainTime > TimeSpan.Zero);
        Assert.Equal(sweep.TrainTime.TotalSeconds, timing.TrainSeconds);
        Assert.True(timing.InferenceSamplesPerSecond > 0 && timing.LatencyMsPerSample >= 0);
    }

    [Fact]
    public void Standardisation_is_optional_and_fitted_on_train()
    {
        var (train, test) = KnnClassifierTests.Clusters(seed: 2);
        var scaled = train with { Values = train.Values.Select(v => v * 1000 + 5).ToArray() };
        var scaledTest = test with { Values = test.Values.Select(v => v * 1000 + 5).ToArray() };
        var model = LogisticRegressionProbe.Fit(scaled, 1.0, new LogisticRegressionOptions(Standardize: true));
        var top1 = ClassificationEvaluator.Evaluate(scaledTest.Labels, model.Predict(scaledTest), new BootstrapOptions(Samples: 10)).Top1;
        Assert.True(top1 > 0.9, $"top-1 {top1}");
    }

    [Fact]
    public void Invalid_input_gives_one_clear_error_each()
    {
        var (train, test) = KnnClassifierTests.Clusters(seed: 1);
        var nan = train with { Values = train.Values.ToArray() };
        nan.Values[7] = float.NaN;
        Assert.Contains("NaN", Assert.Throws<ProbeBenchException>(() => LogisticRegressionProbe.Fit(nan, 1)).Message);
        var badLabel = train with { Labels = train.Labels.ToArray() };
        badLabel.Labels[0] = 99;
        Assert.Contains("outside", Assert.Throws<ProbeBenchException>(() => LogisticRegressionProbe.Fit(badLabel, 1)).Message);
        var oneClass = train with { Labels = new int[train.Rows] };
        Assert.Contains("only one class", Assert.Throws<ProbeBenchException>(() => LogisticRegressionProbe.Fit(oneClass, 1)).Message);
        Assert.Contains("zero rows", Assert.Throws<ProbeBenchException>(() => LogisticRegressionProbe.Fit(new FeatureSet([], 0, 4, [], 2), 1)).Message);
        foreach (var c in new[] { 0, -1, 1e-40, 1e-13, 2e30, double.NaN })
            Assert.Contains("C must be from 1e-12 to 1e30", Assert.Throws<ProbeBenchException>(() => LogisticRegressionProbe.Fit(train, c)).Message);
        Assert.NotNull(LogisticRegressionProbe.Fit(train, 1e-12));
        Assert.NotNull(LogisticRegressionProbe.Fit(train, 1e30));
        var infinite = train with { Values = train.Values.ToArray() };
        infinite.Values[3] = float.PositiveInfinity;
        Assert.Contains("infinite", Assert.Throws<ProbeBenchException>(() => LogisticRegressionProbe.Sweep(infinite)).Message);
        Assert.Contains("C must be from", Assert.Throws<ProbeBenchException>(
            () => LogisticRegressionProbe.Sweep(train, new LogisticRegressionOptions(CValues: [1, -1]))).Message);
        var model = LogisticRegressionProbe.Fit(train, 1);
        var narrow = new FeatureSet(new float[test.Rows * 2], test.Rows, 2, test.Labels, test.ClassCount);
        Assert.Contains("fitted on", Assert.Throws<ProbeBenchException>(() => model.Predict(narrow)).Message);
    }

    [Fact]
    public void Dinov2_grid_is_ten_to_the_linspace_minus_6_to_5_in_45_steps()
    {
        var grid = LogisticRegressionProbe.Dinov2Grid;
        Assert.Equal(45, grid.Count);
        Assert.Equal(1e-6, grid[0], 12);
        Assert.Equal(1e5, grid[^1], 6);
        Assert.Equal(Math.Pow(10, -6 + 11.0 / 44), grid[1], 12);
    }
}
