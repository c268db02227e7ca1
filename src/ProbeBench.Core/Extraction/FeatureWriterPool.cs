using System.Diagnostics;
using System.Threading.Channels;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Extraction;

/// <summary>
/// The cache-writing stage: the layer choices' writers are dealt round-robin to a few worker threads, each with its
/// own short queue of batches, so fp16 conversion, SHA-256 and file writes of different choices run side by side and
/// never on the backbone's thread. Each writer still sees its rows in order (one worker owns it). A writer that fails
/// fails the <see cref="ExtractionPipeline"/>, which stops the backbone from queueing more.
/// </summary>
internal sealed class FeatureWriterPool
{
    private const int QueuedBatches = 2;
    private readonly IReadOnlyList<IFeatureWriter> writers;
    private readonly IReadOnlyList<string> names;
    private readonly ExtractionPipeline pipeline;
    private readonly Channel<HostFeatures>[] queues;
    private long busyTicks;

    public FeatureWriterPool(IReadOnlyList<IFeatureWriter> writers, IReadOnlyList<string> names, int threads, ExtractionPipeline pipeline)
    {
        this.writers = writers;
        this.names = names;
        this.pipeline = pipeline;
        Threads = Math.Clamp(threads, 1, writers.Count);
        queues = Enumerable.Range(0, Threads)
            .Select(_ => Channel.CreateBounded<HostFeatures>(new BoundedChannelOptions(QueuedBatches) { SingleReader = true, SingleWriter = true }))
            .ToArray();
        for (var w = 0; w < Threads; w++)
        {
            var worker = w;
            pipeline.Start($"feature writer {worker}", () => Work(worker));
        }
    }

    public int Threads { get; }

    /// <summary>Summed seconds the workers spent writing (over all threads).</summary>
    public double BusySeconds => TimeSpan.FromTicks(Interlocked.Read(ref busyTicks)).TotalSeconds;

    /// <summary>Queues a batch for every writer; waits while a worker's queue is full, until the pipeline stops.</summary>
    public void Submit(HostFeatures batch)
    {
        foreach (var queue in queues)
            queue.Writer.WriteAsync(batch, pipeline.Token).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>No more batches: each worker writes what it holds, then completes its writers.</summary>
    public void Complete()
    {
        foreach (var queue in queues) queue.Writer.TryComplete();
    }

    private void Work(int worker)
    {
        var reader = queues[worker].Reader;
        var owned = Enumerable.Range(0, writers.Count).Where(c => c % Threads == worker).ToArray();
        while (reader.WaitToReadAsync(pipeline.Token).AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var batch))
            {
                var clock = Stopwatch.StartNew();
                foreach (var c in owned) Append(c, batch);
                Interlocked.Add(ref busyTicks, clock.Elapsed.Ticks);
            }
        }
        // The queue ended without a failure: every row reached these writers.
        foreach (var c in owned)
        {
            pipeline.Token.ThrowIfCancellationRequested();
            Guard(c, () => writers[c].Complete());
        }
    }

    private void Append(int c, HostFeatures batch)
    {
        pipeline.Token.ThrowIfCancellationRequested();
        // A resumed writer already holds rows before its ResumeRow: hand it only what it lacks.
        var writer = writers[c];
        var (values, dim) = batch.Choice(c);
        var skip = Math.Clamp(writer.ResumeRow - batch.FirstRow, 0, batch.Labels.Length);
        if (skip == batch.Labels.Length) return;
        Guard(c, () => writer.Append(values[(skip * dim)..].Span, batch.Labels.AsSpan(skip), dim));
    }

    // File-system errors name the file already; say which layer choice was being written.
    private void Guard(int c, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var advice = DiskFull.Is(e) ? "; what was written stays as a partial cache entry, so free space there (or choose another --cache-root) and run again to resume" : "";
            throw new ProbeBenchException($"Writing features of {names[c]} failed: {e.Message}{advice}.", inner: e);
        }
    }
}

/// <summary>One batch's features on the host: per layer choice its rows × dim values; and the batch's labels.</summary>
internal sealed record HostFeatures(int FirstRow, int[] Labels, float[][] PerChoice, int[] Dims)
{
    public (ReadOnlyMemory<float> Values, int Dim) Choice(int c) => (PerChoice[c], Dims[c]);
}
