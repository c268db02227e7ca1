using ProbeBench.Core;

namespace ProbeBench.Tests.Kernel;

public class ParallelLoopsTests
{
    [Fact]
    public void A_worker_s_ProbeBenchException_comes_out_as_itself_and_other_errors_stay_aggregated()
    {
        var error = new ProbeBenchException("The image a.png could not be decoded.");
        Assert.Same(error, Assert.Throws<ProbeBenchException>(() => ParallelLoops.For(0, 8, new ParallelOptions(), i => { if (i == 5) throw error; })));
        Assert.Same(error, Assert.Throws<ProbeBenchException>(() => ParallelLoops.ForEach([1, 2, 3], new ParallelOptions(), i => { if (i == 2) throw error; })));
        Assert.IsType<InvalidOperationException>(Assert.Throws<AggregateException>(
            () => ParallelLoops.For(0, 4, new ParallelOptions(), i => { if (i == 1) throw new InvalidOperationException("a bug"); })).InnerExceptions.Single());

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ParallelLoops.For(0, 4, new ParallelOptions { CancellationToken = cancelled.Token }, _ => { }));
    }
}
