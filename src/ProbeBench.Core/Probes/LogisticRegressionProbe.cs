using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using ProbeBench.Core.Data;
using ProbeBench.Core.Kernel;

namespace ProbeBench.Core.Probes;

/// <summary>
/// Multinomial logistic regression with ML.NET's L-BFGS maximum-entropy trainer.
/// <para>
/// Regularisation mapping. scikit-learn minimises C·Σᵢ logloss + ½‖W‖² (bias unpenalised). ML.NET 5's
/// LbfgsTrainerBase.DifferentiableFunction returns (Σᵢ wᵢ·logloss + ½·λ·Σ_{j ≥ BiasCount} xⱼ²) / Σᵢ wᵢ: the loss is a
/// (weighted) sum, the L2 term skips the first BiasCount entries (the per-class biases, so the bias is never
/// penalised and no option is needed for that), and the whole objective, regulariser included, is then divided by
/// the weight sum (a "REVIEW" comment there notes this). Dividing by n does not move the minimiser, so dividing
/// scikit-learn's objective by C gives λ = L2Regularization = 1 / C, independent of n. The alternative reading
/// (mean loss + ½λ‖W‖², λ = 1/(C·n)) is ruled out on the heads fixture: at λ = 1/C the test log-loss matches
/// scikit-learn to 4 digits for C = 0.001 … 10 (see LogisticRegressionProbeTests).
/// </para>
/// <para>
/// The rows reach ML.NET through <see cref="LogisticRegressionDataView"/>, which reads the FeatureSet in place.
/// Sweep fits use one ML.NET thread each and stream that view every L-BFGS iteration, so no C holds a copy of the
/// features; single fits (Fit, FitPath and the final refit) use <see cref="LogisticRegressionOptions.FitThreads"/> threads,
/// for which ML.NET itself caches the rows once.
/// </para>
/// </summary>
public static class LogisticRegressionProbe
{
    /// <summary>DINOv2's grid: C = 10^linspace(-6, 5, 45).</summary>
    public static IReadOnlyList<double> Dinov2Grid { get; } = Enumerable.Range(0, 45).Select(i => Math.Pow(10, -6 + 11.0 * i / 44)).ToList();

    /// <summary>A coarse grid for quick looks: C = 10^-4 … 10^3.</summary>
    public static IReadOnlyList<double> CoarseGrid { get; } = Enumerable.Range(-4, 8).Select(e => Math.Pow(10, e)).ToList();

    /// <summary>The C values a fit accepts: 1/C must stay a normal float far from overflow, or the optimizer meets NaN.</summary>
    public const double MinC = 1e-12, MaxC = 1e30;

    public static bool IsUsableC(double c) => c is >= MinC and <= MaxC;

    /// <summary>ML.NET's L2Regularization for scikit-learn's C (see the class remarks).</summary>
    public static double L2ForC(double c) => 1.0 / c;

    /// <summary>Fits one model at scikit-learn's <paramref name="c"/> on every training row.</summary>
    public static LogisticRegressionModel Fit(FeatureSet train, double c, LogisticRegressionOptions? options = null)
    {
        options ??= new LogisticRegressionOptions();
        ProbeInputChecks.Train(train, "logistic regression training features");
        CheckC(c);
        var scaler = options.Standardize ? FeatureScaler.Fit(train) : null;
        var view = new LogisticRegressionDataView(train, AllRows(train), scaler);
        return FitView(view, train.Dim, train.ClassCount, scaler, c, options, GradientChunks(options)).Model;
    }

    /// <summary>The full protocol: sweep C on a validation split, refit the best on all of train.</summary>
    /// <param name="progress">After each C of the grid is fitted and scored: C values done, grid size (called from the chains' threads).</param>
    /// <param name="cancellation">Checked before every fit (a fit itself runs to its end: ML.NET cannot stop one).</param>
    public static LogisticRegressionSweep Sweep(FeatureSet train, LogisticRegressionOptions? options = null, Action<int, int>? progress = null,
        CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        options ??= new LogisticRegressionOptions();
        ProbeInputChecks.Train(train, "logistic regression training features");
        var grid = options.CValues ?? Dinov2Grid;
        if (grid.Count == 0) throw new ProbeBenchException("The logistic regression C grid is empty.");
        foreach (var c in grid) CheckC(c);
        var (fitRows, validationRows) = StratifiedSampler.Split(train.Labels, options.ValidationFraction, options.Seed);
        var scaler = options.Standardize ? FeatureScaler.Fit(train) : null;
        // One view over the fit rows serves every C: each fit streams it (one thread per fit), nothing is copied.
        var fitView = new LogisticRegressionDataView(train, fitRows, scaler);
        var allRows = new LogisticRegressionDataView(train, AllRows(train), scaler);
        LogisticRegressionModel Refit(double c)
        {
            cancellation.ThrowIfCancellationRequested();
            return FitView(allRows, train.Dim, train.ClassCount, scaler, c, options, GradientChunks(options)).Model;
        }

        var results = new LogisticRegressionGridPoint?[grid.Count];
        var done = 0;
        void FitChain(int[] chain)
        {
            LogisticRegressionPathPoint? before = null, last = null;
            foreach (var i in chain)
            {
                cancellation.ThrowIfCancellationRequested();
                var (model, solution) = FitView(fitView, train.Dim, train.ClassCount, scaler, grid[i], options, threads: 1, before, last);
                (before, last) = (last, solution);
                var point = new LogisticRegressionGridPoint(grid[i], ValidationTop1(model, train, validationRows));
                lock (results) results[i] = point;
                progress?.Invoke(Interlocked.Increment(ref done), grid.Count);
            }
        }

        var chains = LogisticRegressionWarmChains.Of(grid, options.WarmStartChains);
        var nextChain = -1;
        var failed = false;
        var earlyRefitTaken = 0;
        LogisticRegressionModel? earlyRefit = null;
        var workers = Math.Min(chains.Count, options.Parallelism > 0 ? options.Parallelism : Environment.ProcessorCount);
        ParallelLoops.OnThreads(workers, _ =>
        {
            try
            {
                for (var c = Interlocked.Increment(ref nextChain); c < chains.Count && !Volatile.Read(ref failed); c = Interlocked.Increment(ref nextChain))
                    FitChain(chains[c]);
            }
            catch
            {
                Volatile.Write(ref failed, true);
                throw;
            }
            // The first worker out of chains refits at the best C so far instead of idling while the others finish. The
            // refit depends on C alone, so when that C stands (the fits still running are the largest C) it is the result.
            if (options.EarlyRefit && !Volatile.Read(ref failed) && Interlocked.Exchange(ref earlyRefitTaken, 1) == 0)
            {
                LogisticRegressionGridPoint[] soFar;
                lock (results) soFar = results.OfType<LogisticRegressionGridPoint>().ToArray();
                if (soFar.Length > 0) earlyRefit = Refit(Best(soFar).C);
            }
        });
        var points = results.Select(r => r!).ToArray();
        var best = Best(points);
        var earlyStood = earlyRefit is { } early && early.C == best.C;
        var final = earlyStood ? earlyRefit! : Refit(best.C);
        return new LogisticRegressionSweep(points, best.C, final) { TrainTime = clock.Elapsed, EarlyRefitStood = earlyStood };
    }

    /// <summary>
    /// Fits every C of <paramref name="cValues"/> on every training row, each warm-started from the smaller C values' solutions
    /// (one chain, in ascending C, <see cref="LogisticRegressionPathStart"/>), the way the sweep's chains run; models in the order given.
    /// </summary>
    public static IReadOnlyList<LogisticRegressionModel> FitPath(FeatureSet train, IReadOnlyList<double> cValues, LogisticRegressionOptions? options = null)
    {
        options ??= new LogisticRegressionOptions();
        ProbeInputChecks.Train(train, "logistic regression training features");
        foreach (var c in cValues) CheckC(c);
        var scaler = options.Standardize ? FeatureScaler.Fit(train) : null;
        var view = new LogisticRegressionDataView(train, AllRows(train), scaler);
        var models = new LogisticRegressionModel[cValues.Count];
        LogisticRegressionPathPoint? before = null, last = null;
        foreach (var i in Enumerable.Range(0, cValues.Count).OrderBy(i => cValues[i]))
        {
            (models[i], var solution) = FitView(view, train.Dim, train.ClassCount, scaler, cValues[i], options, GradientChunks(options), before, last);
            (before, last) = (last, solution);
        }
        return models;
    }

    private static (LogisticRegressionModel Model, LogisticRegressionPathPoint Solution) FitView(IDataView view, int dim, int classCount,
        FeatureScaler? scaler, double c, LogisticRegressionOptions options, int threads, LogisticRegressionPathPoint? before = null,
        LogisticRegressionPathPoint? last = null)
    {
        var ml = new MLContext(seed: options.Seed);
        var start = LogisticRegressionPathStart.For(c, options.ExtrapolateStarts ? before : null, last, ml);
        var trainer = ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = LogisticRegressionDataView.LabelColumn,
            FeatureColumnName = LogisticRegressionDataView.FeaturesColumn,
            L2Regularization = (float)L2ForC(c),
            L1Regularization = 0,
            OptimizationTolerance = (float)options.Tolerance,
            MaximumNumberOfIterations = options.MaxIterations,
            HistorySize = 20,
            NumberOfThreads = threads,
            EnforceNonNegativity = false,
            ShowTrainingStatistics = false,
        });
        var model = (start is null ? trainer.Fit(view) : trainer.Fit(view, start)).Model;
        VBuffer<float>[] rows = [];
        model.GetWeights(ref rows, out var classes);
        if (classes != classCount)
            throw new ProbeBenchException($"The logistic regression learned {classes} classes where the features declare {classCount}.");
        var weights = new float[classCount * dim];
        for (var k = 0; k < classes; k++) rows[k].CopyTo(weights.AsSpan(k * dim, dim));
        return (new LogisticRegressionModel(weights, model.GetBiases().ToArray(), dim, classCount, scaler, c), new LogisticRegressionPathPoint(c, model));
    }

    // Highest validation top-1; on ties the stronger regularisation (smaller C) wins, as a grid scan in order would.
    private static LogisticRegressionGridPoint Best(IEnumerable<LogisticRegressionGridPoint> points) =>
        points.OrderByDescending(r => r.ValidationTop1).ThenBy(r => r.C).First();

    private static double ValidationTop1(LogisticRegressionModel model, FeatureSet train, int[] validationRows)
    {
        var scores = model.Predict(train, validationRows);
        var correct = 0;
        for (var r = 0; r < validationRows.Length; r++)
            if (scores.ArgMax(r) == train.Labels[validationRows[r]]) correct++;
        return correct / (double)validationRows.Length;
    }

    private static void CheckC(double c)
    {
        if (!IsUsableC(c))
            throw new ProbeBenchException($"Logistic regression C must be from {MinC:0e0} to {MaxC:0e0} (ML.NET's L2Regularization = 1/C is a float); got {c}.");
    }

    // ML.NET splits the rows into this many chunks, one task each, and sums their gradients in chunk order: the result
    // depends on the count, so the default is a fixed number rather than the machine's cores.
    private static int GradientChunks(LogisticRegressionOptions options) =>
        options.FitThreads > 0 ? options.FitThreads : Environment.ProcessorCount;

    private static int[] AllRows(FeatureSet set) => Enumerable.Range(0, set.Rows).ToArray();
}

/// <summary>One point of the C sweep.</summary>
public sealed record LogisticRegressionGridPoint(double C, double ValidationTop1);

/// <summary>The sweep's points, the chosen C, and the model refitted on the whole training split.</summary>
public sealed record LogisticRegressionSweep(IReadOnlyList<LogisticRegressionGridPoint> Grid, double BestC, LogisticRegressionModel Model)
{
    /// <summary>Wall time of the whole protocol (sweep and refit).</summary>
    public TimeSpan TrainTime { get; init; }

    /// <summary>Whether the model is the refit started early, at the best C known then (see <see cref="LogisticRegressionOptions.EarlyRefit"/>).</summary>
    public bool EarlyRefitStood { get; init; }

    /// <summary>Scores <paramref name="test"/> with the refitted model and fills the head's <see cref="HeadTiming"/>.</summary>
    public (ClassScores Scores, HeadTiming Timing) PredictTimed(FeatureSet test) =>
        HeadTiming.Measure(TrainTime, test.Rows, () => Model.Predict(test), row => Model.Predict(test, [row]));
}
