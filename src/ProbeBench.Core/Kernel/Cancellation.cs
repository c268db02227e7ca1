namespace ProbeBench.Core.Kernel;

/// <summary>Whether an exception is only a cancellation coming back.</summary>
public static class Cancellation
{
    /// <summary>An OperationCanceledException, or an AggregateException (a parallel loop's) holding nothing else; a worker's real error alongside makes it not one.</summary>
    public static bool Is(Exception e) => e switch
    {
        OperationCanceledException => true,
        AggregateException aggregate => aggregate.Flatten().InnerExceptions.All(Is),
        _ => false,
    };
}
