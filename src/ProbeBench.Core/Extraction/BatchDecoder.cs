using System.Diagnostics;
using System.Threading.Channels;
using ProbeBench.Core.Data;
using ProbeBench.Core.Runtime;
using static TorchSharp.torch;

namespace ProbeBench.Core.Extraction;

/// <summary>A batch ready for the backbone: its input on the device, and the event after which that input is complete.</summary>
internal sealed record StagedBatch(int FirstRow, int[] Labels, Tensor Input, IDeviceEvent Ready) : IDisposable
{
    public void Dispose()
    {
        Input.Dispose();
        Ready.Dispose();
    }
}

/// <summary>
/// The decoding stage, on its own thread: loads each batch's images in parallel, stages them (<see cref="InputStager"/>)
/// and queues them for the backbone through a bounded channel (backpressure). Every wait observes the pipeline's
/// cancellation, so a failure elsewhere stops it between images.
/// </summary>
internal sealed class BatchDecoder(IImageDataset dataset, IReadOnlyList<int>? indices, ExtractionOptions options, ExtractionPipeline pipeline)
{
    private long decodeTicks;
    private long stageTicks;

    public double DecodeSeconds => TimeSpan.FromTicks(Interlocked.Read(ref decodeTicks)).TotalSeconds;

    /// <summary>Host time spent staging (buffer fill, upload and preprocessing, or only queueing them on a GPU).</summary>
    public double StageSeconds => TimeSpan.FromTicks(Interlocked.Read(ref stageTicks)).TotalSeconds;

    public void Run(int start, int rows, InputStager stager, ChannelWriter<StagedBatch> output)
    {
        try
        {
            using var onStagingStream = stager.Enter();
            var parallel = new ParallelOptions
            {
                CancellationToken = pipeline.Token,
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
                Interlocked.Add(ref decodeTicks, clock.Elapsed.Ticks);
                clock.Restart();
                var (input, ready) = stager.Stage(images);
                var batch = new StagedBatch(first, labels, input, ready);
                Interlocked.Add(ref stageTicks, clock.Elapsed.Ticks);
                try
                {
                    output.WriteAsync(batch, pipeline.Token).AsTask().GetAwaiter().GetResult();
                }
                catch
                {
                    batch.Dispose();
                    throw;
                }
            }
            output.TryComplete();
        }
        catch (Exception e)
        {
            output.TryComplete(e);
            throw;
        }
    }
}
