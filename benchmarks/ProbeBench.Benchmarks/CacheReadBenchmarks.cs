using BenchmarkDotNet.Attributes;
using ProbeBench.Core.Cache;

namespace ProbeBench.Benchmarks;

/// <summary>
/// Reading a complete feature-cache entry of 50,000 rows × 384 dims (CIFAR-10 train, ViT-S/14 class tokens)
/// from disk, every chunk sha256-verified: whole into a FeatureSet, streamed chunk by chunk, and verify only.
/// fp16 storage halves the bytes but pays for the Half → float conversion.
/// </summary>
public class CacheReadBenchmarks
{
    private const int Rows = 50_000;
    private const int Dim = 384;
    private string root = null!;
    private FeatureCache cache = null!;
    private string key = null!;

    [Params("fp16", "fp32")]
    public string StorageType { get; set; } = "fp16";

    [GlobalSetup]
    public void Setup()
    {
        root = Path.Combine(Path.GetTempPath(), $"probebench-cache-bench-{Guid.NewGuid():N}");
        cache = new FeatureCache(root);
        var parts = new FeatureCacheKeyParts("bench", "vit_s14", "dinov2-eval", "random", "train", "all", "cls@last", "fp32", StorageType);
        var random = new Random(0);
        var values = new float[Rows * Dim];
        for (var i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 4 - 2);
        var labels = Enumerable.Range(0, Rows).Select(i => i % 10).ToArray();
        var writer = cache.OpenWriter(parts, Dim, 10, Rows);
        writer.Append(values, labels, Dim);
        writer.Complete();
        key = parts.Key();
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(root, recursive: true);

    [Benchmark(Baseline = true, Description = "Read → FeatureSet")]
    public int ReadAll() => cache.Read(key).Rows;

    [Benchmark(Description = "ReadChunks (streamed)")]
    public int Streamed()
    {
        var rows = 0;
        foreach (var (_, labels) in cache.ReadChunks(key)) rows += labels.Length;
        return rows;
    }

    [Benchmark(Description = "Inspect (verify only)")]
    public int VerifyOnly() => cache.Inspect(key).ResumeRow;
}
