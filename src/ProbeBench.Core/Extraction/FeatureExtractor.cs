using System.Diagnostics;
using System.Runtime.ExceptionServices;
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
/// One pass over a dataset split that produces every requested layer choice. Decoding runs on worker
/// threads ahead of the backbone through a bounded queue (backpressure: at most
/// <see cref="ExtractionOptions.QueueDepth"/> decoded batches wait), the backbone runs on the calling
/// thread, and features go to the writers on a third thread, so the three overlap.
/// </summary>
public sealed class FeatureExtractor(IFeatureBackbone backbone, IImagePreprocessor preprocessor, ExtractionOptions options)
{
    /// <summary>A decoded batch; on CPU the decoder thread also preprocesses it (<see cref="Input"/>), so that work overlaps the backbone.</summary>
    private sealed record DecodedBatch(int FirstRow, RgbImage[] Images, int[] Labels, Tensor? Input);

    private sealed record FeatureBatch(int FirstRow, int[] Labels, IReadOnlyList<(float[] Rows, int Dim)> PerChoice);

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

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var decoded = Channel.CreateBounded<DecodedBatch>(new BoundedChannelOptions(Math.Max(1, options.QueueDepth)) { SingleReader = true, SingleWriter = true });
        var computed = Channel.CreateBounded<FeatureBatch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var decodeTicks = 0L;
        var writeTicks = 0L;
        var preprocessTicks = 0L;
        var preprocessOnDecoder = device.type == DeviceType.CPU;
        var wall = Stopwatch.StartNew();

        Func<RgbImage[], Tensor>? preprocess = preprocessOnDecoder ? images => preprocessor.Apply(images, device, dtype) : null;
        var producer = Task.Run(() => Decode(dataset, indices, start, rows, decoded.Writer, preprocess, ref decodeTicks, ref preprocessTicks, stop.Token), stop.Token);
        var consumer = Task.Run(() => Write(writers, start, computed.Reader, ref writeTicks), stop.Token);

        var latencies = new List<double>();
        long? peakDevice = null;
        double transferSeconds = 0, computeSeconds = 0, waitSeconds = 0;
        var done = start;
        try
        {
            while (true)
            {
                var wait = Stopwatch.StartNew();
                if (!decoded.Reader.WaitToReadAsync(stop.Token).AsTask().GetAwaiter().GetResult()) break;
                waitSeconds += wait.Elapsed.TotalSeconds;
                if (!decoded.Reader.TryRead(out var batch)) continue;

                using var scope = NewDisposeScope();
                using var prepared = batch.Input;
                var phase = Stopwatch.StartNew();
                var input = prepared ?? preprocessor.Apply(batch.Images, device, dtype);
                Synchronize(device);
                transferSeconds += phase.Elapsed.TotalSeconds;

                phase.Restart();
                var perChoice = new List<(float[] Rows, int Dim)>(choices.Count);
                using (no_grad())
                {
                    var tokens = backbone.ForwardBlocks(input, blocks);
                    foreach (var choice in choices)
                    {
                        var features = LayerFeatureComposer.Compose(choice, tokens).to(ScalarType.Float32);
                        perChoice.Add((TensorCopy.ToArray<float>(features), (int)features.shape[1]));
                    }
                }
                var batchSeconds = phase.Elapsed.TotalSeconds;
                if (device.type == DeviceType.CUDA && CudaMemory.UsedBytes() is { } used) peakDevice = Math.Max(peakDevice ?? 0, used);
                computeSeconds += batchSeconds;
                latencies.Add(batchSeconds * 1000);

                computed.Writer.WriteAsync(new FeatureBatch(batch.FirstRow, batch.Labels, perChoice), stop.Token).AsTask().GetAwaiter().GetResult();
                done += batch.Images.Length;
                progress?.Report(new ExtractionProgress(done, rows, (done - start) / Math.Max(wall.Elapsed.TotalSeconds, 1e-9)));
            }
            computed.Writer.Complete();
            producer.GetAwaiter().GetResult();
            consumer.GetAwaiter().GetResult();
        }
        catch
        {
            stop.Cancel();
            computed.Writer.TryComplete();
            // Surface the first real failure (a bad image, a full disk) rather than the cancellation it caused.
            var failure = new[] { producer, consumer }.FirstOrDefault(t => t.IsFaulted)?.Exception?.InnerException;
            try { Task.WaitAll([producer, consumer]); } catch (AggregateException) { } catch (OperationCanceledException) { }
            if (failure is not null && failure is not OperationCanceledException) throw failure;
            throw;
        }

        foreach (var writer in writers) writer.Complete();
        wall.Stop();
        var extracted = rows - start;
        return new ExtractionStats
        {
            Images = extracted,
            Batches = latencies.Count,
            BatchSize = options.BatchSize,
            WallSeconds = wall.Elapsed.TotalSeconds,
            EndToEndImagesPerSecond = extracted / Math.Max(wall.Elapsed.TotalSeconds, 1e-9),
            BackboneImagesPerSecond = extracted / Math.Max(computeSeconds, 1e-9),
            BatchLatencyP50Ms = Percentiles.Of(latencies, 50),
            BatchLatencyP95Ms = Percentiles.Of(latencies, 95),
            BatchLatencyP99Ms = Percentiles.Of(latencies, 99),
            Batch1LatencyMs = extracted > 0 ? MeasureBatch1(dataset, indices, device, dtype, blocks) : null,
            DecodeSeconds = TimeSpan.FromTicks(Interlocked.Read(ref decodeTicks)).TotalSeconds,
            TransferSeconds = transferSeconds + TimeSpan.FromTicks(Interlocked.Read(ref preprocessTicks)).TotalSeconds,
            ComputeSeconds = computeSeconds,
            CacheWriteSeconds = TimeSpan.FromTicks(Interlocked.Read(ref writeTicks)).TotalSeconds,
            WaitForDataSeconds = waitSeconds,
            PeakProcessMemoryBytes = Process.GetCurrentProcess().PeakWorkingSet64,
            PeakDeviceMemoryBytes = peakDevice,
            BatchLatenciesMs = latencies,
            ResumedFromRow = start,
        };
    }

    private void Decode(IImageDataset dataset, IReadOnlyList<int>? indices, int start, int rows, ChannelWriter<DecodedBatch> writer,
        Func<RgbImage[], Tensor>? preprocess, ref long ticks, ref long preprocessTicks, CancellationToken stop)
    {
        try
        {
            var parallel = new ParallelOptions
            {
                CancellationToken = stop,
                MaxDegreeOfParallelism = options.DecodeThreads > 0 ? options.DecodeThreads : Environment.ProcessorCount,
            };
            for (var row = start; row < rows; row += options.BatchSize)
            {
                var count = Math.Min(options.BatchSize, rows - row);
                var images = new RgbImage[count];
                var labels = new int[count];
                var first = row;
                var clock = Stopwatch.StartNew();
                Parallel.For(0, count, parallel, i =>
                {
                    var index = indices?[first + i] ?? first + i;
                    images[i] = dataset.Load(index);
                    labels[i] = dataset.GetLabel(index);
                });
                Interlocked.Add(ref ticks, clock.Elapsed.Ticks);
                Tensor? input = null;
                if (preprocess is not null)
                {
                    clock.Restart();
                    input = preprocess(images);
                    Interlocked.Add(ref preprocessTicks, clock.Elapsed.Ticks);
                }
                try
                {
                    writer.WriteAsync(new DecodedBatch(first, images, labels, input), stop).AsTask().GetAwaiter().GetResult();
                }
                catch
                {
                    input?.Dispose();
                    throw;
                }
            }
            writer.Complete();
        }
        catch (Exception e)
        {
            var cause = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;
            writer.TryComplete(cause);
            ExceptionDispatchInfo.Throw(cause);
        }
    }

    private static void Write(IReadOnlyList<IFeatureWriter> writers, int start, ChannelReader<FeatureBatch> reader, ref long ticks)
    {
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var batch))
            {
                var clock = Stopwatch.StartNew();
                for (var c = 0; c < writers.Count; c++)
                {
                    // A resumed writer already holds rows before its ResumeRow: hand it only what it lacks.
                    var (features, dim) = batch.PerChoice[c];
                    var skip = Math.Clamp(writers[c].ResumeRow - batch.FirstRow, 0, batch.Labels.Length);
                    if (skip == batch.Labels.Length) continue;
                    writers[c].Append(features.AsSpan(skip * dim), batch.Labels.AsSpan(skip), dim);
                }
                Interlocked.Add(ref ticks, clock.Elapsed.Ticks);
            }
        }
    }

    private double MeasureBatch1(IImageDataset dataset, IReadOnlyList<int>? indices, Device device, ScalarType dtype, int[] blocks)
    {
        if (options.Batch1Repeats <= 0) return double.NaN;
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
