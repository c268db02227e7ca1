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

    [Fact]
    public async Task OnThreads_runs_every_body_at_once_even_when_the_pool_is_busy_and_waits_for_all_of_them()
    {
        // Every body waits for all the others at a barrier: run one after another (a starved pool), this would time out.
        var count = Environment.ProcessorCount + 2;
        using var barrier = new Barrier(count);
        var met = new bool[count];
        var blockers = Enumerable.Range(0, Environment.ProcessorCount * 2).Select(_ => Task.Run(() => Thread.Sleep(2000))).ToArray();
        ParallelLoops.OnThreads(count, i => met[i] = barrier.SignalAndWait(TimeSpan.FromSeconds(20)));
        Assert.All(met, Assert.True);
        await Task.WhenAll(blockers);
    }

    [Fact]
    public void OnThreads_waits_for_the_other_bodies_before_a_ProbeBenchException_comes_out_as_itself()
    {
        var error = new ProbeBenchException("The image a.png could not be decoded.");
        var finished = 0;
        Assert.Same(error, Assert.Throws<ProbeBenchException>(() => ParallelLoops.OnThreads(3, i =>
        {
            if (i == 0) throw error;
            Thread.Sleep(200);
            Interlocked.Increment(ref finished);
        })));
        Assert.Equal(2, finished);
        Assert.IsType<InvalidOperationException>(Assert.Throws<AggregateException>(
            () => ParallelLoops.OnThreads(2, i => { if (i == 1) throw new InvalidOperationException("a bug"); })).InnerExceptions.Single());
    }
}
