using ProbeBench.Core;
using ProbeBench.Core.Data;

namespace ProbeBench.Tests.Data;

/// <summary>The one stratified sampler behind dataset subsets and validation hold-outs.</summary>
public sealed class StratifiedSamplerTests
{
    private static readonly int[] Labels = [.. Enumerable.Repeat(0, 7), .. Enumerable.Repeat(1, 2), .. Enumerable.Repeat(2, 1), .. Enumerable.Repeat(3, 20)];

    [Fact]
    public void A_sample_has_the_exact_size_in_class_proportion_by_largest_remainders()
    {
        var sample = StratifiedSampler.Sample(Labels, 10, seed: 1);
        Assert.Equal(10, sample.Length);
        Assert.Equal(sample.Order(), sample);
        // Shares 7·⅓, 2·⅓, 1·⅓, 20·⅓ = 2.33, 0.67, 0.33, 6.67: floors 2, 0, 0, 6, then the two largest remainders (classes 1 and 3).
        Assert.Equal([2, 1, 0, 7], Enumerable.Range(0, 4).Select(c => sample.Count(i => Labels[i] == c)));
        Assert.Equal(sample, StratifiedSampler.Sample(Labels, 10, seed: 1));
        Assert.NotEqual(sample, StratifiedSampler.Sample(Labels, 10, seed: 2));
    }

    [Fact]
    public void A_hold_out_leaves_every_class_of_two_or_more_rows_on_both_sides()
    {
        var (fit, validation) = StratifiedSampler.Split(Labels, 0.1, seed: 3);
        Assert.Equal(Labels.Length, fit.Length + validation.Length);
        Assert.Empty(fit.Intersect(validation));
        foreach (var c in new[] { 0, 1, 3 })
        {
            Assert.Contains(validation, i => Labels[i] == c);
            Assert.Contains(fit, i => Labels[i] == c);
        }
        Assert.DoesNotContain(validation, i => Labels[i] == 2); // a single row stays in fit
    }

    [Fact]
    public void Bad_requests_are_clear_errors()
    {
        Assert.Throws<ProbeBenchException>(() => StratifiedSampler.Sample(Labels, 31, 0));
        Assert.Throws<ProbeBenchException>(() => StratifiedSampler.Split(Labels, 1.0, 0));
    }
}
