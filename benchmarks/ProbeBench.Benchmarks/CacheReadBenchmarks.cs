using BenchmarkDotNet.Attributes;
using ProbeBench.Core.Cache;

namespace ProbeBench.Benchmarks;

/// <summary>Reading a verified cache entry of 50,000 × 384 features (every chunk's sha256 checked), fp16 and fp32.</summary>
public class CacheReadBenchmarks
{
    private FeatureCache cache = null!;
    private string folder = null!;
    private string key = null!;

    [Params("fp16", "fp32")]
    public string Storage { get; set; } = "fp16";

    [GlobalSetup]
    public void Setup()
    {
        folder = Path.Combine(Path.GetTempPath(), $"probebench-cache-bench-{Guid.NewGuid():N}");
        cache = new FeatureCache(folder);
        var parts = new FeatureCacheKeyParts("bench", "arch", "recipe", "data", "train", "all", "cls@last", "fp32", Storage, "cpu");
        const int rows = 50_000, dim = 384;
        var random = new Random(0);
        var values = new float[rows * dim];
        for (var i = 0; i < values.Length; i++) values[i] = (float)random.NextDouble();
        var writer = cache.OpenWriter(parts, dim, 10, rows);
        writer.Append(values, Enumerable.Range(0, rows).Select(r => r % 10).ToArray(), dim);
        writer.Complete();
        key = parts.Key();
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(folder, recursive: true);

    [Benchmark(Description = "read + verify 50,000 × 384")]
    public int Read() => cache.Read(key).Rows;
}
