using ProbeBench.Core.IO;

namespace ProbeBench.Core.Evaluation;

/// <summary>How a run reports what it is doing; every member is optional.</summary>
/// <param name="Extraction">Wraps each split's extraction (the CLI draws a progress bar).</param>
/// <param name="Download">Download progress of weights and datasets.</param>
/// <param name="Log">Notable events (cache rebuilt, C chosen, ...).</param>
/// <param name="Status">What is running now (head training, ...).</param>
/// <param name="Progress">Progress of long work other than extraction (dense label caching, dense head training, the logistic-regression C sweep): what, done, in all.</param>
public sealed record RunCallbacks(
    ExtractRunner.ProgressScope? Extraction = null,
    IProgress<DownloadProgress>? Download = null,
    Action<string>? Log = null,
    Action<string>? Status = null,
    Action<string, int, int>? Progress = null);
