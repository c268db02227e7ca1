using BenchmarkDotNet.Attributes;
using ProbeBench.Core.Cache;
using ProbeBench.Core.Extraction;

namespace ProbeBench.Benchmarks;

/// <summary>
/// A ViT-S-sized dense cache entry: one block's class token and 34 × 46 patch tokens (NYU at 476 × 644) of 384 channels,
/// fp16, for 96 images (115 MB), chunked as extraction chunks it. Reading the whole entry into memory (the pooled heads'
/// path, the baseline) against streaming it in shuffled batches of 8 with <see cref="FeatureRowReader"/> (the dense
/// heads' path): with a fresh reader (every chunk verified on first touch, like a first epoch) and with an open one
/// (later epochs). The memory diagnoser's allocated bytes show what each path holds.
/// </summary>
[MemoryDiagnoser]
public class DenseCacheReadBenchmarks
{
    private const int Rows = 96, Batch = 8;
    private static readonly int Dim = (1 + 34 * 46) * 384;
    private string folder = null!;
    private string key = null!;
    private FeatureRowReader open = null!;
    private int[] order = null!;

    [GlobalSetup]
    public void Setup()
    {
        folder = Path.Combine(Path.GetTempPath(), $"probebench-dense-bench-{Guid.NewGuid():N}");
        var cache = new FeatureCache(folder);
        var parts = new FeatureCacheKeyParts("bench", "vits14", "custom:size=476x644", "nyu", "train", "all", "patch@11", "fp32", "fp16", "cpu");
        var random = new Random(0);
        using var writer = cache.OpenWriter(parts, Dim, 1, Rows, ExtractionMemory.CacheChunkRows(8, Dim));
        var row = new float[Dim];
        for (var r = 0; r < Rows; r++)
        {
            for (var i = 0; i < row.Length; i++) row[i] = (float)(random.NextDouble() * 4 - 2);
            writer.Append(row, [0], Dim);
        }
        writer.Complete();
        key = parts.Key();
        open = FeatureRowReader.Open(cache, key);
        order = Enumerable.Range(0, Rows).ToArray();
        new Random(1).Shuffle(order);
        Console.WriteLine($"// entry on disk: {Directory.GetFiles(cache.EntryFolder(key)).Sum(f => new FileInfo(f).Length):N0} bytes for {Rows} images ({open.BytesPerRow:N0} per image and block)");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        open.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "whole entry into memory (verify + decode)")]
    public int WholeEntry() => new FeatureCache(folder).Read(key).Rows;

    [Benchmark(Description = "batches of 8, fresh reader (verify on first touch)")]
    public int StreamedFirstEpoch()
    {
        using var reader = FeatureRowReader.Open(new FeatureCache(folder), key);
        return Stream(reader);
    }

    [Benchmark(Description = "batches of 8, open reader")]
    public int StreamedLaterEpoch() => Stream(open);

    private int Stream(FeatureRowReader reader)
    {
        var buffer = new Half[Batch * reader.Dim];
        var read = 0;
        for (var start = 0; start < Rows; start += Batch)
        {
            reader.ReadHalf(order.AsSpan(start, Math.Min(Batch, Rows - start)), buffer.AsSpan(0, Math.Min(Batch, Rows - start) * reader.Dim));
            read += Math.Min(Batch, Rows - start);
        }
        return read;
    }
}
