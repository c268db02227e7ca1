using System.Runtime.ExceptionServices;

namespace ProbeBench.Core;

/// <summary>
/// Parallel.For and ForEach whose workers' errors come out as the error itself, not wrapped in an AggregateException:
/// the first <see cref="ProbeBenchException"/> (or cancellation) a worker threw, so callers that catch one (the CLI, a
/// sweep worker marking a unit failed) see the one line it carries. Anything else stays aggregated, with every detail.
/// </summary>
public static class ParallelLoops
{
    public static void For(int fromInclusive, int toExclusive, ParallelOptions options, Action<int> body) =>
        Unwrapped(() => Parallel.For(fromInclusive, toExclusive, options, body));

    public static void ForEach<T>(IEnumerable<T> source, ParallelOptions options, Action<T> body) =>
        Unwrapped(() => Parallel.ForEach(source, options, body));

    /// <summary>
    /// Runs body(0) … body(count - 1) at once: the first on the calling thread, the others on threads of their own, so a busy
    /// thread pool cannot hold them back (workers that share a queue of jobs then really share it). Waits for all of them;
    /// errors come out as from <see cref="For"/>.
    /// </summary>
    public static void OnThreads(int count, Action<int> body)
    {
        var others = new Task[Math.Max(0, count - 1)];
        for (var i = 0; i < others.Length; i++)
        {
            var index = i + 1;
            others[i] = Task.Factory.StartNew(() => body(index), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        var errors = new List<Exception>();
        if (count > 0)
        {
            try
            {
                body(0);
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        }
        foreach (var other in others)
        {
            try
            {
                other.Wait();
            }
            catch (AggregateException e)
            {
                errors.AddRange(e.InnerExceptions);
            }
        }
        if (errors.Count > 0) Unwrapped(() => throw new AggregateException(errors));
    }

    private static void Unwrapped(Action loop)
    {
        try
        {
            loop();
        }
        catch (AggregateException e) when (FirstKnown(e) is { } first)
        {
            ExceptionDispatchInfo.Capture(first).Throw();
        }
    }

    private static Exception? FirstKnown(AggregateException e)
    {
        var inner = e.Flatten().InnerExceptions;
        return inner.OfType<ProbeBenchException>().FirstOrDefault() ?? (Exception?)inner.OfType<OperationCanceledException>().FirstOrDefault();
    }
}
