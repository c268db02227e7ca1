using ProbeBench.Core;
using ProbeBench.Core.Cache;
using ProbeBench.Core.Extraction;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Extraction;

/// <summary>
/// The extraction pipeline's stages (decoder, backbone, cache writers) stop together: whichever fails, the run ends
/// with that stage's error instead of waiting forever on a queue nobody serves. Each run gets a generous bound
/// (<see cref="Hang"/>) only so that a regression fails instead of hanging the test run; it times nothing.
/// </summary>
public class ExtractionPipelineTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(90);

    private static IReadOnlyList<LayerChoice> Choices(params string[] texts) => LayerChoiceParser.ParseAll(texts, depth: 4);

    private static Exception? RunBounded(Action run)
    {
        var task = Task.Factory.StartNew(run, TaskCreationOptions.LongRunning);
        Assert.True(((IAsyncResult)task).AsyncWaitHandle.WaitOne(Hang), $"the extraction did not end within {Hang.TotalSeconds} s (a stage waits for one that stopped)");
        return task.Exception?.InnerException;
    }

    private static FeatureExtractor Extractor(ScriptedBackbone backbone, int batch = 4, int writerThreads = 0) =>
        new(backbone, new FloatPreprocessor(), new ExtractionOptions(BatchSize: batch, QueueDepth: 2, Batch1Repeats: 0, WriterThreads: writerThreads));

    [Fact]
    public void A_failing_cache_writer_stops_the_backbone_and_its_error_surfaces()
    {
        var backbone = new ScriptedBackbone();
        var writers = new[] { new ScriptedWriter(), new ScriptedWriter(failAtAppend: 3) };
        var error = RunBounded(() => Extractor(backbone).Run(new IndexImages(4000), Choices("cls@0", "cls@1"), writers));

        Assert.Equal("the writer failed", Assert.IsType<ProbeBenchException>(error).Message);
        Assert.True(backbone.Calls < 100, $"the backbone ran {backbone.Calls} of 1000 batches after the writer failed");
        Assert.All(writers, w => Assert.False(w.Completed));
    }

    [Fact]
    public void An_fp16_overflow_in_the_cache_writer_ends_the_run_with_the_cache_error()
    {
        using var dir = new TempDirectory();
        var cache = new FeatureCache(dir.File("cache"));
        var parts = new FeatureCacheKeyParts("ckpt", "arch", "recipe", "data", "train", "all", "cls@0", "fp32", "fp16", "cpu");
        var writer = cache.OpenWriter(parts, dim: 3, classCount: 2, expectedRows: 4000, chunkRows: 8);
        // Class tokens of (pixel + 0) · 1e6 reach 255e6: far beyond fp16's 65504.
        var error = RunBounded(() => Extractor(new ScriptedBackbone(scale: 1e6f)).Run(new IndexImages(4000), Choices("cls@0"), [writer]));

        Assert.Contains("does not fit fp16 storage", Assert.IsType<ProbeBenchException>(error).Message);
        Assert.Equal(FeatureCacheState.Partial, cache.State(parts.Key()));
    }

    [Fact]
    public void A_full_disk_under_the_cache_ends_the_run_with_one_line_naming_the_choice_and_the_file()
    {
        // 28 is ENOSPC, as .NET reports it on Linux (DiskFullTests checks that on a real full disk).
        var full = new ScriptedWriter(failAtAppend: 2, failure: () => new IOException("No space left on device : '/cache/features/ab/abcd/chunk-00001.bin.tmp'", 28));
        var error = RunBounded(() => Extractor(new ScriptedBackbone()).Run(new IndexImages(4000), Choices("cls@last"), [full]));

        var message = Assert.IsType<ProbeBenchException>(error).Message;
        Assert.Equal("Writing features of cls@last failed: No space left on device : '/cache/features/ab/abcd/chunk-00001.bin.tmp'; what was written " +
            "stays as a partial cache entry, so free space there (or choose another --cache-root) and run again to resume.", message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void A_failing_backbone_stops_the_decoder_and_no_entry_is_completed()
    {
        var images = new IndexImages(4000);
        var writers = new[] { new ScriptedWriter(), new ScriptedWriter() };
        var error = RunBounded(() => Extractor(new ScriptedBackbone(failAtCall: 3)).Run(images, Choices("cls@0", "avgpool@2"), writers));

        Assert.Equal("the backbone failed at batch 3", Assert.IsType<ProbeBenchException>(error).Message);
        // Decoding ran at most the queue (2) + one being decoded + the ones the backbone took (3) ahead, 4 images each.
        Assert.InRange(images.Loaded, 1, (2 + 1 + 3) * 4);
        Assert.All(writers, w => Assert.False(w.Completed));
    }

    [Fact]
    public void A_failing_decoder_stops_the_backbone_and_the_writers()
    {
        var backbone = new ScriptedBackbone();
        var writers = new[] { new ScriptedWriter(), new ScriptedWriter(), new ScriptedWriter() };
        var error = RunBounded(() => Extractor(backbone).Run(new IndexImages(4000, failAt: 41), Choices("cls@0", "cls@1", "cls@2"), writers));

        Assert.Equal("image 41 is undecodable", Assert.IsType<ProbeBenchException>(error).Message);
        Assert.True(backbone.Calls <= 11, $"the backbone ran {backbone.Calls} batches; image 41 is in batch 11");
        Assert.All(writers, w => Assert.False(w.Completed));
    }

    [Fact]
    public void A_stage_stuck_in_a_read_that_never_returns_does_not_hold_back_another_stage_s_failure()
    {
        // Image 13 blocks forever (like a FIFO named *.png); the backbone fails on its first batch.
        var images = new IndexImages(4000, blockAt: 13);
        try
        {
            var error = RunBounded(() => Extractor(new ScriptedBackbone(failAtCall: 1)).Run(images, Choices("cls@0"), [new ScriptedWriter()]));
            Assert.Equal("the backbone failed at batch 1", Assert.IsType<ProbeBenchException>(error).Message);
        }
        finally
        {
            images.Release.Set();
        }
    }

    [Fact]
    public void Cancelling_the_caller_s_token_ends_the_run_with_a_cancellation()
    {
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress<ExtractionProgress>(p => { if (p.Done >= 40) cancel.Cancel(); });
        var writer = new ScriptedWriter();
        var error = RunBounded(() => Extractor(new ScriptedBackbone()).Run(new IndexImages(4000), Choices("cls@0"), [writer], progress: progress, cancellation: cancel.Token));

        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.False(writer.Completed);
    }

    [Fact]
    public void Writers_are_spread_over_the_pool_each_on_one_thread_and_get_every_row_in_order()
    {
        var writers = Enumerable.Range(0, 5).Select(_ => new ScriptedWriter()).ToArray();
        Extractor(new ScriptedBackbone(), writerThreads: 3).Run(new IndexImages(50), Choices("cls@0", "cls@1", "cls@2", "cls@3", "avgpool@0"), writers);

        Assert.All(writers, w => Assert.True(w.Completed));
        Assert.All(writers, w => Assert.Single(w.Threads));
        Assert.Equal(3, writers.SelectMany(w => w.Threads.Keys).Distinct().Count());
        for (var c = 0; c < 4; c++)
            Assert.Equal(Enumerable.Range(0, 50).Select(i => new[] { i + c, i + c, i + (float)c }), writers[c].Rows);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i % 2), writers[4].Labels);
    }

    [Fact]
    public void Staging_runs_on_its_own_stream_and_the_forward_waits_for_each_batch_s_ready_event()
    {
        var streams = new RecordingStreams();
        var backbone = new ScriptedBackbone(log: streams.Write);
        var writer = new ScriptedWriter();
        var stats = new FeatureExtractor(backbone, new FloatPreprocessor(), new ExtractionOptions(BatchSize: 4, QueueDepth: 2, Batch1Repeats: 0)) { Streams = _ => streams }
            .Run(new IndexImages(10), Choices("cls@0"), [writer]);

        Assert.Equal(Enumerable.Range(0, 10).Select(i => new[] { (float)i, i, i }), writer.Rows);
        Assert.Equal("recording; 1 writer thread(s)", stats.Pipeline);
        var log = streams.Log.Select(l => l.Split(" @")).Select(p => (Text: p[0], Thread: int.Parse(p[1]))).ToList();
        int At(string text) => log.FindIndex(l => l.Text == text);
        var forwardThread = log.First(l => l.Text.StartsWith("forward ", StringComparison.Ordinal)).Thread;
        Assert.NotEqual(forwardThread, log.Single(l => l.Text == "enter staging").Thread);

        // Per batch the staging stream records the upload's end, then the ready event (after preprocessing).
        var staged = log.Where(l => l.Text.StartsWith("record staging ", StringComparison.Ordinal)).Select(l => l.Text["record staging ".Length..]).ToArray();
        Assert.Equal(6, staged.Length);
        var (uploads, ready) = (new[] { staged[0], staged[2], staged[4] }, new[] { staged[1], staged[3], staged[5] });
        Assert.Equal(ready.Select(e => $"wait forward {e}"), log.Where(l => l.Text.StartsWith("wait forward ", StringComparison.Ordinal)).Select(l => l.Text));
        string[] forwards = ["forward 0", "forward 4", "forward 8"];
        for (var b = 0; b < 3; b++)
            Assert.True(At($"wait forward {ready[b]}") < At(forwards[b]), $"batch {b}'s forward was issued before its stream waited for the batch");

        // Two staging buffers and two download buffers, reused: batch 3 refills batch 1's buffer only after that upload ended.
        Assert.Equal(2, log.Count(l => l.Text == "host-buffer 4d"));
        Assert.Equal(2, log.Count(l => l.Text == "host-buffer 1d"));
        Assert.True(At($"sync {uploads[0]}") < At($"record staging {uploads[2]}"), "a staging buffer was refilled before its upload ended");

        // Double buffering: a batch's download is awaited only once the next forward is queued.
        var downloads = log.Where(l => l.Text.StartsWith("record forward ", StringComparison.Ordinal)).Select(l => l.Text["record forward ".Length..]).Where((_, i) => i % 2 == 1).ToArray();
        Assert.Equal(3, downloads.Length);
        Assert.True(At($"sync {downloads[0]}") > At(forwards[1]));
        Assert.True(At($"sync {downloads[1]}") > At(forwards[2]));
        Assert.All(log.Where(l => l.Text.StartsWith("sync ", StringComparison.Ordinal) && downloads.Contains(l.Text[5..])), l => Assert.Equal(forwardThread, l.Thread));
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
