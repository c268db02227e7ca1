using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using ProbeBench.Core.Probes;

namespace ProbeBench.Tests.Probes;

public class LogisticRegressionPathStartTests
{
    private readonly MLContext context = new(seed: 0);

    [Fact]
    public void The_ML_NET_this_build_uses_lets_chains_extrapolate() => Assert.True(LogisticRegressionPathStart.CanExtrapolate);

    [Fact]
    public void The_next_start_is_half_way_along_the_line_through_the_last_two_solutions_in_log_C()
    {
        var before = Point(10, [[1, 2], [3, 4]], [0, 1]);
        var last = Point(100, [[2, 2], [3, 6]], [1, 1]);

        // C = 1000 is one whole step on in log C: half of last − before is added.
        AssertParameters(LogisticRegressionPathStart.For(1000, before, last, context), [[2.5f, 2], [3, 7]], [1.5f, 1]);
        // Half a step (C = 100·√10): a quarter.
        AssertParameters(LogisticRegressionPathStart.For(100 * Math.Sqrt(10), before, last, context), [[2.25f, 2], [3, 6.5f]], [1.25f, 1]);
        // Never more than one step of the last spacing, however far the next C.
        AssertParameters(LogisticRegressionPathStart.For(1e6, before, last, context), [[2.5f, 2], [3, 7]], [1.5f, 1]);
    }

    [Fact]
    public void Without_two_solutions_below_the_next_C_the_chain_starts_from_its_last_one()
    {
        var before = Point(10, [[1, 2], [3, 4]], [0, 1]);
        var last = Point(100, [[2, 2], [3, 6]], [1, 1]);

        Assert.Null(LogisticRegressionPathStart.For(1000, null, null, context));
        Assert.Same(last.Parameters, LogisticRegressionPathStart.For(1000, null, last, context));
        Assert.Same(last.Parameters, LogisticRegressionPathStart.For(50, before, last, context));
        Assert.Same(last.Parameters, LogisticRegressionPathStart.For(1000, last with { C = 100 }, last, context));
    }

    private LogisticRegressionPathPoint Point(double c, float[][] weights, float[] biases) =>
        new(c, LogisticRegressionPathStart.Parameters(weights.Select(w => new VBuffer<float>(w.Length, w)).ToArray(), biases, context)!);

    private static void AssertParameters(MaximumEntropyModelParameters? parameters, float[][] weights, float[] biases)
    {
        Assert.NotNull(parameters);
        VBuffer<float>[] actual = [];
        parameters.GetWeights(ref actual, out var classes);
        Assert.Equal(weights.Length, classes);
        for (var k = 0; k < classes; k++) Assert.Equal(weights[k], actual[k].DenseValues().ToArray());
        Assert.Equal(biases, parameters.GetBiases().ToArray());
    }
}
