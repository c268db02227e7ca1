using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace ProbeBench.Core.Probes;

/// <summary>
/// Multinomial logistic regression with ML.NET's L-BFGS maximum-entropy trainer.
/// <para>
/// Regularisation mapping. scikit-learn minimises C·Σᵢ logloss + ½‖W‖² (bias unpenalised). ML.NET's L-BFGS trainers
/// minimise (Σᵢ logloss + ½·λ‖W‖²) / n, bias unpenalised (LbfgsTrainerBase scales the loss and the regulariser by
/// 1/Σweights). Dividing scikit-learn's objective by C·n gives the same minimiser, so λ = L2Regularization = 1 / C,
/// independent of n. Checked against scikit-learn on the heads fixture.
/// </para>
/// </summary>
public static class LogisticRegressionProbe
{
    /// <summary>DINOv2's grid: C = 10^linspace(-6, 5, 45).</summary>
    public static IReadOnlyList<double> Dinov2Grid { get; } = Enumerable.Range(0, 45).Select(i => Math.Pow(10, -6 + 11.0 * i / 44)).ToList();

    /// <summary>A coarse grid for quick looks: C = 10^-4 … 10^3.</summary>
    public static IReadOnlyList<double> CoarseGrid { get; } = Enumerable.Range(-4, 8).Select(e => Math.Pow(10, e)).ToList();

    /// <summary>ML.NET's L2Regularization for scikit-learn's C (see the class remarks).</summary>
    public static double L2ForC(double c) => 1.0 / c;

    /// <summary>Fits one model at scikit-learn's <paramref name="c"/>.</summary>
    public static LogisticRegressionModel Fit(FeatureSet train, double c, LogisticRegressionOptions? options = null)
    {
        options ??= new LogisticRegressionOptions();
        ProbeInputChecks.Train(train, "logistic regression training features");
        if (!(c > 0) || double.IsInfinity(c)) throw new ProbeBenchException($"Logistic regression C must be positive and finite; got {c}.");
        var scaler = options.Standardize ? FeatureScaler.Fit(train) : null;
        var ml = new MLContext(seed: options.Seed);
        var view = ToDataView(ml, train, scaler, Enumerable.Range(0, train.Rows).ToArray());
        return FitView(ml, view, train.Dim, train.ClassCount, scaler, c, options);
    }

    /// <summary>The full protocol: sweep C on a validation split, refit the best on all of train.</summary>
    public static LogisticRegressionSweep Sweep(FeatureSet train, LogisticRegressionOptions? options = null)
    {
        options ??= new LogisticRegressionOptions();
        ProbeInputChecks.Train(train, "logistic regression training features");
        var grid = options.CValues ?? Dinov2Grid;
        if (grid.Count == 0) throw new ProbeBenchException("The logistic regression C grid is empty.");
        var (fitRows, validationRows) = StratifiedSplit.Split(train.Labels, options.ValidationFraction, options.Seed);
        var scaler = options.Standardize ? FeatureScaler.Fit(train) : null;
        var ml = new MLContext(seed: options.Seed);
        var fitView = ToDataView(ml, train, scaler, fitRows);
        var validation = train.Subset(validationRows);

        var results = new (double C, double Top1)[grid.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism > 0 ? options.Parallelism : Environment.ProcessorCount };
        Parallel.For(0, grid.Count, parallel, i =>
        {
            var model = FitView(new MLContext(seed: options.Seed), fitView, train.Dim, train.ClassCount, scaler, grid[i], options);
            var scores = model.Predict(validation);
            var correct = Enumerable.Range(0, validation.Rows).Count(r => scores.ArgMax(r) == validation.Labels[r]);
            results[i] = (grid[i], correct / (double)validation.Rows);
        });
        // Highest validation top-1; on ties the stronger regularisation (smaller C) wins, as a grid scan in order would.
        var best = results.OrderByDescending(r => r.Top1).ThenBy(r => r.C).First();
        var final = FitView(ml, ToDataView(ml, train, scaler, Enumerable.Range(0, train.Rows).ToArray()), train.Dim, train.ClassCount, scaler, best.C, options);
        return new LogisticRegressionSweep(results.Select(r => new LogisticRegressionGridPoint(r.C, r.Top1)).ToList(), best.C, final);
    }

    private static LogisticRegressionModel FitView(MLContext ml, IDataView view, int dim, int classCount, FeatureScaler? scaler, double c, LogisticRegressionOptions options)
    {
        var trainer = ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = "Label",
            FeatureColumnName = "Features",
            L2Regularization = (float)L2ForC(c),
            L1Regularization = 0,
            OptimizationTolerance = (float)options.Tolerance,
            MaximumNumberOfIterations = options.MaxIterations,
            HistorySize = 20,
            NumberOfThreads = 1,
            EnforceNonNegativity = false,
        });
        var model = trainer.Fit(view).Model;
        VBuffer<float>[] rows = [];
        model.GetWeights(ref rows, out var classes);
        var weights = new float[classCount * dim];
        for (var k = 0; k < classes; k++) rows[k].CopyTo(weights.AsSpan(k * dim, dim));
        return new LogisticRegressionModel(weights, model.GetBiases().ToArray(), dim, classCount, scaler, c);
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];
        public uint Label { get; set; }
    }

    // One float[] per row (built once per sweep and shared by every C). LoadFromEnumerable takes key-typed labels
    // 0-based (it stores them 1-based internally, 0 meaning missing).
    private static IDataView ToDataView(MLContext ml, FeatureSet set, FeatureScaler? scaler, int[] rows)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, set.Dim);
        schema[nameof(Row.Label)].ColumnType = new KeyDataViewType(typeof(uint), set.ClassCount);
        var data = rows.Select(r => new Row
        {
            Features = scaler?.Apply(set.Row(r)) ?? set.Row(r).ToArray(),
            Label = (uint)set.Labels[r],
        }).ToList();
        return ml.Data.LoadFromEnumerable(data, schema);
    }
}

/// <summary>One point of the C sweep.</summary>
public sealed record LogisticRegressionGridPoint(double C, double ValidationTop1);

/// <summary>The sweep's points, the chosen C, and the model refitted on the whole training split.</summary>
public sealed record LogisticRegressionSweep(IReadOnlyList<LogisticRegressionGridPoint> Grid, double BestC, LogisticRegressionModel Model);
