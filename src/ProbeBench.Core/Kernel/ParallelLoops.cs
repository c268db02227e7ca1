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
