using System.Diagnostics;
using System.Threading.Channels;
using ProbeBench.Core.Data;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Models;
using ProbeBench.Core.Preprocessing;
using ProbeBench.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeBench.Core.Extraction;

/// <summary>
/// One pass over a dataset split that produces every requested layer choice, as a pipeline of three stages that
/// overlap: the decoder thread loads images in parallel and stages them (<see cref="InputStager"/>: host buffers,
/// upload and preprocessing on their own stream), at most <see cref="ExtractionOptions.QueueDepth"/> batches
/// ahead; the calling thread runs the backbone once its stream has waited for the batch's ready event, and copies all
/// choices' features to the host in one asynchronous copy (<see cref="FeatureDownload"/>, double-buffered); a pool of
/// writer threads (<see cref="FeatureWriterPool"/>) stores them. The first failure of any stage stops the others
/// (<see cref="ExtractionPipeline"/>) and is what <see cref="Run"/> throws.
/// </summary>
public sealed class FeatureExtractor(IFeatureBackbone backbone, IImagePreprocessor preprocessor, ExtractionOptions options)
{
    /// <summary>The device streams to use instead of the device's own (tests order GPU-style work on the CPU with them).</summary>
    internal Func<Device, IDeviceStreams> Streams { get; init; } = DeviceStreams.For;

    /// <summary>A batch whose features are on their way to the host.</summary>
    private sealed record InFlight(StagedBatch Batch, IDeviceEvent Started, FeatureDownload.Pending Download);

    /// <summary>
    /// Extracts rows <c>[min ResumeRow, rows)</c> of <paramref name="dataset"/> (or of the given <paramref name="indices"/>,
    /// in their order) and appends each layer choice's features to its writer.
    /// </summary>
    public ExtractionStats Run(
        IImageDataset dataset,
        IReadOnlyList<LayerChoice> choices,
        IReadOnlyList<IFeatureWriter> writers,
        IReadOnlyList<int>? indices = null,
        IProgress<ExtractionProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        if (choices.Count == 0 || choices.Count != writers.Count)
            throw new ArgumentException("Give one writer per layer choice.", nameof(writers));
        if (options.BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "the batch size must be positive (RunPlanRules checks what users give)");
        var deepest = choices.Max(c => c.DeepestBlock);
        if (deepest >= backbone.Depth)
            throw new ProbeBenchException($"Layer choice {choices.First(c => c.DeepestBlock == deepest).Name} needs block {deepest}, but the backbone has {backbone.Depth} blocks.");

        var device = TorchRuntime.ResolveDevice(options.Device);
        var dtype = PrecisionNames.ToScalarType(options.Precision);
        var rows = indices?.Count ?? dataset.Count;
        var start = writers.Min(w => w.ResumeRow);
        var blocks = choices.SelectMany(c => c.Blocks).Distinct().Order().ToArray();
        var wall = Stopwatch.StartNew();

        using var streams = Streams(device);
        using var pipeline = new ExtractionPipeline(cancellation);
        var decoded = Channel.CreateBounded<StagedBatch>(new BoundedChannelOptions(Math.Max(1, options.QueueDepth)) { SingleReader = true, SingleWriter = true });
        var decoder = new BatchDecoder(dataset, indices, options, pipeline);
        var stager = new InputStager(preprocessor, device, dtype, streams);
        pipeline.Start("decoder", () =>
        {
            try { decoder.Run(start, rows, stager, decoded.Writer); }
            finally { stager.Dispose(); }
        });
        var pool = new FeatureWriterPool(writers, choices.Select(c => c.Name).ToArray(),
            options.WriterThreads > 0 ? options.WriterThreads : Environment.ProcessorCount, pipeline);

        using var download = new FeatureDownload(streams);
        var latencies = new List<double>();
        long? peakDevice = null;
        double waitSeconds = 0, hostReadSeconds = 0;
        var done = start;
        InFlight? previous = null;

        // Hands a batch's features to the writers once its copy is done; by then its forward has ended, so its input can go.
        void Deliver(InFlight batch)
        {
            var clock = Stopwatch.StartNew();
            var values = download.Finish(batch.Download);
            hostReadSeconds += clock.Elapsed.TotalSeconds;
            latencies.Add(batch.Download.Done.MillisecondsSince(batch.Started));
            batch.Started.Dispose();
            batch.Download.Done.Dispose();
            batch.Batch.Dispose();
            pool.Submit(new HostFeatures(batch.Batch.FirstRow, batch.Batch.Labels, values, batch.Download.Dims));
            done += batch.Batch.Labels.Length;
            progress?.Report(new ExtractionProgress(done, rows, (done - start) / Math.Max(wall.Elapsed.TotalSeconds, 1e-9)));
        }

        try
        {
            while (true)
            {
                var wait = Stopwatch.StartNew();
                if (!decoded.Reader.WaitToReadAsync(pipeline.Token).AsTask().GetAwaiter().GetResult()) break;
                waitSeconds += wait.Elapsed.TotalSeconds;
                if (!decoded.Reader.TryRead(out var batch)) continue;

                InFlight current;
                IDeviceEvent? started = null;
                try
                {
                    streams.Current.Wait(batch.Ready);
                    started = streams.Current.Record(timing: true);
                    using var scope = NewDisposeScope();
                    using (no_grad())
                    {
                        var tokens = backbone.ForwardBlocks(batch.Input, blocks);
                        var perChoice = choices.Select(choice => LayerFeatureComposer.Compose(choice, tokens).to(ScalarType.Float32)).ToArray();
                        current = new InFlight(batch, started, download.Start(perChoice));
                    }
                }
                catch
                {
                    started?.Dispose();
                    batch.Dispose();
                    throw;
                }
                if (device.type == DeviceType.CUDA && CudaMemory.UsedBytes() is { } used) peakDevice = Math.Max(peakDevice ?? 0, used);
                // The next forward is queued: now wait for the one before it.
                if (previous is not null) Deliver(previous);
                previous = current;
            }
            if (previous is not null) Deliver(previous);
            previous = null;
            pool.Complete();
        }
        catch (Exception e)
        {
            pipeline.Fail(e);
        }
        finally
        {
            if (previous is not null)
            {
                previous.Download.Done.Synchronize();
                previous.Download.Done.Dispose();
                previous.Started.Dispose();
                previous.Batch.Dispose();
            }
        }
        pipeline.Finish();
        while (decoded.Reader.TryRead(out var left)) left.Dispose();

        wall.Stop();
        var extracted = rows - start;
        var computeSeconds = latencies.Sum() / 1000;
        return new ExtractionStats
        {
            Images = extracted,
            Batches = latencies.Count,
            BatchSize = options.BatchSize,
            WallSeconds = wall.Elapsed.TotalSeconds,
            EndToEndImagesPerSecond = extracted / Math.Max(wall.Elapsed.TotalSeconds, 1e-9),
            BackboneImagesPerSecond = extracted / Math.Max(computeSeconds, 1e-9),
            // No batch ran when every row was already cached: nothing was timed (and a NaN cannot go into a record).
            BatchLatencyP50Ms = latencies.Count > 0 ? Percentiles.Of(latencies, 50) : 0,
            BatchLatencyP95Ms = latencies.Count > 0 ? Percentiles.Of(latencies, 95) : 0,
            BatchLatencyP99Ms = latencies.Count > 0 ? Percentiles.Of(latencies, 99) : 0,
            Batch1LatencyMs = extracted > 0 ? MeasureBatch1(dataset, indices, device, dtype, blocks) : null,
            DecodeSeconds = decoder.DecodeSeconds,
            TransferSeconds = decoder.StageSeconds + hostReadSeconds,
            ComputeSeconds = computeSeconds,
            CacheWriteSeconds = pool.BusySeconds,
            WaitForDataSeconds = waitSeconds,
            PeakProcessMemoryBytes = Process.GetCurrentProcess().PeakWorkingSet64,
            PeakDeviceMemoryBytes = peakDevice,
            BatchLatenciesMs = latencies,
            ResumedFromRow = start,
            Pipeline = $"{streams.Description}; {pool.Threads} writer thread(s)",
        };
    }

    private double? MeasureBatch1(IImageDataset dataset, IReadOnlyList<int>? indices, Device device, ScalarType dtype, int[] blocks)
    {
        if (options.Batch1Repeats <= 0) return null;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var input = preprocessor.Apply([dataset.Load(indices?[0] ?? 0)], device, dtype);
        var times = new List<double>();
        for (var i = 0; i <= options.Batch1Repeats; i++)
        {
            using var inner = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            backbone.ForwardBlocks(input, blocks);
            Synchronize(device);
            if (i > 0) times.Add(clock.Elapsed.TotalMilliseconds); // the first is a warm-up
        }
        return Percentiles.Of(times, 50);
    }

    private static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize(device);
    }
}
