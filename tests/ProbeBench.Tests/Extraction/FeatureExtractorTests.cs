using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Models;
using ProbeBench.Core.Preprocessing;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeBench.Tests.Extraction;

public class FeatureExtractorTests
{
    /// <summary>Images whose pixels encode their index, so every feature row can be predicted.</summary>
    private sealed class CountingDataset(int count, int failAt = -1) : IImageDataset
    {
        private int loaded;
        public int Loaded => Volatile.Read(ref loaded);
        public Func<int>? Consumed { get; set; }
        public int MaxAhead { get; private set; }
        public string Name => "counting";
        public string Split => "train";
        public int Count => count;
        public IReadOnlyList<string> ClassNames { get; } = ["even", "odd"];
        public string Fingerprint => "counting";
        public int GetLabel(int index) => index % 2;

        public RgbImage Load(int index)
        {
            if (index == failAt) throw new ProbeBenchException($"image {index} is undecodable");
            var ahead = Interlocked.Increment(ref loaded) - (Consumed?.Invoke() ?? 0);
            lock (this) MaxAhead = Math.Max(MaxAhead, ahead);
            var pixels = new byte[4 * 4 * 3];
            Array.Fill(pixels, (byte)index);
            return new RgbImage(pixels, 4, 4);
        }
    }

    private sealed class PlainPreprocessor : IImagePreprocessor
    {
        public string Description => "plain";

        public Tensor Apply(IReadOnlyList<RgbImage> images, Device device, ScalarType dtype)
        {
            var bytes = images.SelectMany(i => i.Pixels).ToArray();
            return tensor(bytes, [images.Count, 4, 4, 3]).permute(0, 3, 1, 2).to(dtype).to(device);
        }
    }

    /// <summary>Block b's class token is (pixel value + b) in every channel; patch tokens are 10·(pixel value + b).</summary>
    private sealed class ArithmeticBackbone : IFeatureBackbone
    {
        public int Calls;
        public int Depth => 4;
        public int EmbedDim => 3;
        public int PatchSize => 2;
        public List<int[]> Requested { get; } = [];

        public IReadOnlyDictionary<int, BlockTokens> ForwardBlocks(Tensor images, IReadOnlyCollection<int> blocks)
        {
            Interlocked.Increment(ref Calls);
            Requested.Add(blocks.ToArray());
            var value = images.mean([2, 3]);                            // B × 3
            var patches = value.unsqueeze(1).expand(-1, 4, -1) * 10;    // B × 4 × 3
            return blocks.ToDictionary(b => b, b => new BlockTokens(value + b, patches + 10 * b));
        }
    }

    private sealed class MemoryWriter(int resumeRow = 0) : IFeatureWriter
    {
        public List<float[]> Rows { get; } = [];
        public List<int> Labels { get; } = [];
        public bool Completed { get; private set; }
        public int ResumeRow => resumeRow;

        public void Append(ReadOnlySpan<float> rows, ReadOnlySpan<int> labels, int dim)
        {
            for (var i = 0; i < labels.Length; i++) Rows.Add(rows.Slice(i * dim, dim).ToArray());
            Labels.AddRange(labels.ToArray());
        }

        public void Complete() => Completed = true;
    }

    private static IReadOnlyList<LayerChoice> Choices(params string[] texts) => LayerChoiceParser.ParseAll(texts, depth: 4);

    [Fact]
    public void One_pass_produces_every_layer_choice()
    {
        var dataset = new CountingDataset(10);
        var backbone = new ArithmeticBackbone();
        var choices = Choices("cls@last", "cls+avgpool@last4", "avgpool@1", "cls@1");
        var writers = choices.Select(_ => new MemoryWriter()).ToArray();

        var stats = new FeatureExtractor(backbone, new PlainPreprocessor(), new ExtractionOptions(BatchSize: 4, Batch1Repeats: 0))
            .Run(dataset, choices, writers);

        Assert.Equal(3, stats.Batches);
        Assert.Equal(3, backbone.Calls);
        Assert.All(backbone.Requested, r => Assert.Equal([0, 1, 2, 3], r));
        Assert.Equal(10, stats.Images);
        Assert.All(writers, w => Assert.True(w.Completed));
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal([i + 3f, i + 3f, i + 3f], writers[0].Rows[i]);
            // cls of blocks 0..3, then the mean patch token of block 3.
            Assert.Equal(new[] { 0, 1, 2, 3 }.SelectMany(b => Enumerable.Repeat(i + (float)b, 3)).Concat(Enumerable.Repeat(10f * (i + 3), 3)), writers[1].Rows[i]);
            Assert.Equal([10f * (i + 1), 10f * (i + 1), 10f * (i + 1)], writers[2].Rows[i]);
            Assert.Equal(i % 2, writers[3].Labels[i]);
        }
        Assert.Equal(3, stats.BatchLatenciesMs.Count);
        Assert.True(stats.BackboneImagesPerSecond >= stats.EndToEndImagesPerSecond);
    }

    [Fact]
    public void Patch_readout_keeps_the_class_token_and_every_patch_per_block()
    {
        var writer = new MemoryWriter();
        new FeatureExtractor(new ArithmeticBackbone(), new PlainPreprocessor(), new ExtractionOptions(BatchSize: 2, Batch1Repeats: 0))
            .Run(new CountingDataset(2), Choices("patch@0,2"), [writer]);
        var row = writer.Rows[1];
        Assert.Equal(2 * 5 * 3, row.Length);
        Assert.Equal(Enumerable.Repeat(1f, 3).Concat(Enumerable.Repeat(10f, 12)).Concat(Enumerable.Repeat(3f, 3)).Concat(Enumerable.Repeat(30f, 12)), row);
    }

    [Fact]
    public void A_resumed_writer_receives_only_the_rows_it_lacks()
    {
        var fresh = new MemoryWriter();
        var resumed = new MemoryWriter(resumeRow: 6);
        var backbone = new ArithmeticBackbone();
        var stats = new FeatureExtractor(backbone, new PlainPreprocessor(), new ExtractionOptions(BatchSize: 4, Batch1Repeats: 0))
            .Run(new CountingDataset(10), Choices("cls@0", "cls@1"), [fresh, resumed]);

        Assert.Equal(10, fresh.Rows.Count);
        Assert.Equal(4, resumed.Rows.Count);
        Assert.Equal([7f, 7f, 7f], resumed.Rows[0]);   // row 6 at block 1
        Assert.Equal(0, stats.ResumedFromRow);

        var both = new[] { new MemoryWriter(resumeRow: 8), new MemoryWriter(resumeRow: 8) };
        var later = new FeatureExtractor(new ArithmeticBackbone(), new PlainPreprocessor(), new ExtractionOptions(BatchSize: 4, Batch1Repeats: 0))
            .Run(new CountingDataset(10), Choices("cls@0", "cls@1"), both);
        Assert.Equal(8, later.ResumedFromRow);
        Assert.Equal(2, later.Images);
        Assert.Equal([8f, 8f, 8f], both[0].Rows[0]);
        Assert.Null(later.Batch1LatencyMs);
    }

    [Fact]
    public void A_pass_with_every_row_already_written_times_nothing_and_its_stats_still_go_into_a_record()
    {
        // What a writer killed between its last chunk and completing leaves: every row there, the entry not complete.
        var writers = new[] { new MemoryWriter(resumeRow: 10) };
        var stats = new FeatureExtractor(new ArithmeticBackbone(), new PlainPreprocessor(), new ExtractionOptions(BatchSize: 4))
            .Run(new CountingDataset(10), Choices("cls@0"), writers);

        Assert.Equal((0, 0, 10), (stats.Images, stats.Batches, stats.ResumedFromRow));
        Assert.Null(stats.Batch1LatencyMs);
        Assert.True(writers[0].Completed);
        var json = System.Text.Json.JsonSerializer.Serialize(stats);
        Assert.DoesNotContain("NaN", json);
    }

    [Fact]
    public void A_failing_image_stops_the_run_with_its_error_and_nothing_is_completed()
    {
        var writer = new MemoryWriter();
        var e = Assert.Throws<ProbeBenchException>(() =>
            new FeatureExtractor(new ArithmeticBackbone(), new PlainPreprocessor(), new ExtractionOptions(BatchSize: 4, Batch1Repeats: 0))
                .Run(new CountingDataset(40, failAt: 21), Choices("cls@0"), [writer]));
        Assert.Equal("image 21 is undecodable", e.Message);
        Assert.False(writer.Completed);
    }

    [Fact]
    public void Decoding_runs_at_most_the_queue_depth_ahead_of_the_backbone()
    {
        var backbone = new ArithmeticBackbone();
        var dataset = new CountingDataset(200);
        dataset.Consumed = () => Volatile.Read(ref backbone.Calls) * 4;
        new FeatureExtractor(backbone, new PlainPreprocessor(), new ExtractionOptions(BatchSize: 4, QueueDepth: 2, Batch1Repeats: 0))
            .Run(dataset, Choices("cls@0"), [new MemoryWriter()]);
        // Queue (2) + the batch being decoded (1) + the batch the backbone holds (1), 4 images each.
        Assert.InRange(dataset.MaxAhead, 1, (2 + 2) * 4);
    }

    [Fact]
    public void A_choice_deeper_than_the_backbone_is_rejected()
    {
        var deep = LayerChoiceParser.Parse("cls@7", depth: 8);
        var e = Assert.Throws<ProbeBenchException>(() =>
            new FeatureExtractor(new ArithmeticBackbone(), new PlainPreprocessor(), new ExtractionOptions()).Run(new CountingDataset(1), deep, [new MemoryWriter()]));
        Assert.Contains("needs block 7", e.Message);
    }
}
