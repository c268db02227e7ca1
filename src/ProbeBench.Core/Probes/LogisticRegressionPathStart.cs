using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;

namespace ProbeBench.Core.Probes;

/// <summary>A solution on a warm chain: the C it was fitted at and ML.NET's parameters.</summary>
internal sealed record LogisticRegressionPathPoint(double C, MaximumEntropyModelParameters Parameters);

/// <summary>
/// Where the next fit of a warm chain starts. After two solutions it is the line through them, in log C, followed half way
/// towards the next C (at most half of the last spacing): the regularisation path is smooth in log C, so this lands closer
/// to the next optimum than the last solution does (on the benchmark's features two chains need 1,528 L-BFGS evaluations
/// instead of 1,935, the cold sweep 3,900; results/cpu has the times). The optimum does not depend on the start; only
/// where ML.NET stops within its tolerance does, as with any warm start.
/// </summary>
internal static class LogisticRegressionPathStart
{
    // ML.NET 5 builds a MaximumEntropyModelParameters from weights only internally; without that constructor (another
    // ML.NET) the chain starts from its last solution instead, which changes the time, never the optimum.
    private static readonly ConstructorInfo? FromWeights = typeof(MaximumEntropyModelParameters).GetConstructor(
        BindingFlags.NonPublic | BindingFlags.Instance, null,
        [typeof(IHostEnvironment), typeof(VBuffer<float>[]), typeof(float[]), typeof(int), typeof(int), typeof(string[]), typeof(ModelStatisticsBase)], null);

    // Half of the step to the next C. A whole step lands closer still, but ML.NET stops on the mean absolute improvement,
    // which a start that close meets at once where the objective is flat (large C): on the heads fixture the fits from whole
    // steps ended up to 1.6e-3 above the cold fit's objective at C = 1000, from half steps 3.6e-4 at most (from the last
    // solution, the plain warm start, within the same 1e-3).
    private const double StepFraction = 0.5;

    /// <summary>Whether starts can be extrapolated with this ML.NET (a test pins it for the version the build uses).</summary>
    public static bool CanExtrapolate => FromWeights is not null;

    /// <summary>The start for a fit at <paramref name="c"/> after <paramref name="before"/> and <paramref name="last"/> (either may be null).</summary>
    public static MaximumEntropyModelParameters? For(double c, LogisticRegressionPathPoint? before, LogisticRegressionPathPoint? last, MLContext context)
    {
        if (last is null) return null;
        if (before is null || FromWeights is null || before.C == last.C) return last.Parameters;
        var step = StepFraction * Math.Min(1, (Math.Log(c) - Math.Log(last.C)) / (Math.Log(last.C) - Math.Log(before.C)));
        if (!(step > 0)) return last.Parameters;

        VBuffer<float>[] lastWeights = [], beforeWeights = [];
        last.Parameters.GetWeights(ref lastWeights, out var classes);
        before.Parameters.GetWeights(ref beforeWeights, out _); // a chain's fits all have the features' class count (FitView checks)
        var weights = new VBuffer<float>[classes];
        for (var k = 0; k < classes; k++)
            weights[k] = new VBuffer<float>(lastWeights[k].Length, Extrapolate(lastWeights[k].DenseValues().ToArray(), beforeWeights[k].DenseValues().ToArray(), step));
        var biases = Extrapolate(last.Parameters.GetBiases().ToArray(), before.Parameters.GetBiases().ToArray(), step);
        return Parameters(weights, biases, context) ?? last.Parameters;
    }

    /// <summary>ML.NET parameters with these per-class weights and biases; null without the constructor (<see cref="CanExtrapolate"/>).</summary>
    internal static MaximumEntropyModelParameters? Parameters(VBuffer<float>[] weights, float[] biases, MLContext context) =>
        (MaximumEntropyModelParameters?)FromWeights?.Invoke([context, weights, biases, weights.Length, weights.Length == 0 ? 0 : weights[0].Length, null, null]);

    private static float[] Extrapolate(float[] last, float[] before, double step)
    {
        var next = new float[last.Length];
        for (var i = 0; i < next.Length; i++) next[i] = (float)(last[i] + step * ((double)last[i] - before[i]));
        return next;
    }
}
