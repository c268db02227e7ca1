using System.Runtime.ExceptionServices;

namespace ProbeBench.Core.Extraction;

/// <summary>
/// What ties the stages of one extraction together: one cancellation that the first failure of any stage (decoder,
/// backbone, cache writers) triggers, so no stage waits on a queue that nobody serves any more; that first failure,
/// kept to be rethrown instead of the cancellations it caused; and bounded waits for the stages to stop, so a stage
/// stuck where it cannot be cancelled (a read that never returns) cannot hold the failure back.
/// </summary>
internal sealed class ExtractionPipeline : IDisposable
{
    private readonly CancellationTokenSource stop;
    private readonly CancellationToken caller;
    private readonly List<Thread> stages = [];
    private ExceptionDispatchInfo? failure;
    private long stoppedAt;

    public ExtractionPipeline(CancellationToken caller)
    {
        this.caller = caller;
        stop = CancellationTokenSource.CreateLinkedTokenSource(caller);
    }

    /// <summary>How long stages get to stop after a failure before it is thrown without them.</summary>
    public static TimeSpan StopGrace { get; } = TimeSpan.FromSeconds(5);

    /// <summary>Cancelled by the first failure, or by the caller.</summary>
    public CancellationToken Token => stop.Token;

    public bool Failed => Volatile.Read(ref failure) is not null;

    /// <summary>Records <paramref name="error"/> unless it is a cancellation this pipeline caused, and stops every stage.</summary>
    public void Fail(Exception error)
    {
        error = Unwrap(error);
        if (error is OperationCanceledException && stop.IsCancellationRequested) return;
        Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(error), null);
        Interlocked.CompareExchange(ref stoppedAt, Environment.TickCount64, 0);
        try { stop.Cancel(); } catch (AggregateException) { } // a registered callback threw: the stop still happened
    }

    /// <summary>Runs <paramref name="body"/> on its own background thread; what it throws fails the pipeline.</summary>
    public void Start(string name, Action body)
    {
        var thread = new Thread(() =>
        {
            try { body(); }
            catch (Exception e) { Fail(e); }
        }) { IsBackground = true, Name = name };
        stages.Add(thread);
        thread.Start();
    }

    /// <summary>
    /// Waits for the stages (without limit while all goes well, at most <see cref="StopGrace"/> once something failed),
    /// then rethrows the first failure, or the caller's cancellation.
    /// </summary>
    public void Finish()
    {
        foreach (var stage in stages)
        {
            while (!stage.Join(TimeSpan.FromMilliseconds(50)))
            {
                if (caller.IsCancellationRequested) Interlocked.CompareExchange(ref stoppedAt, Environment.TickCount64, 0);
                var since = Interlocked.Read(ref stoppedAt);
                if (since != 0 && Environment.TickCount64 - since >= StopGrace.TotalMilliseconds) break;
            }
        }
        failure?.Throw();
        caller.ThrowIfCancellationRequested();
    }

    // A stage still stuck after its grace keeps the token it holds usable.
    public void Dispose()
    {
        if (stages.All(s => !s.IsAlive)) stop.Dispose();
    }

    private static Exception Unwrap(Exception error)
    {
        while (error is AggregateException { InnerExceptions.Count: 1 } aggregate) error = aggregate.InnerExceptions[0];
        return error;
    }
}
