using BenchmarkDotNet.Attributes;
using ProbeBench.Core.Cache;

namespace ProbeBench.Benchmarks;

/// <summary>
/// Reading a complete cache entry of 50,000 × 384 features (13 chunks of 4,096 rows; 38.4 MB of values in fp16, 76.8 MB in
/// fp32, plus 0.2 MB of labels) from the page cache into a FeatureSet:
/// <list type="bullet">
/// <item><c>FirstRead</c>: what a run does the first time it meets the entry, with a fresh FeatureCache: TryRead, which
/// verifies every chunk's size and sha256 (Inspect) and then decodes it.</item>
/// <item><c>VerifiedRead</c>: a later read in the same run (same FeatureCache, files untouched since it verified them):
/// sizes are checked, nothing is hashed again.</item>
/// </list>
/// Throughput = stored bytes / mean time (for fp16: 38.6 MB / t).
/// </summary>
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
        if (!cache.TryRead(key, out _, out var status)) throw new InvalidOperationException($"the benchmark entry does not read back: {status.Problem}");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(folder, recursive: true);

    [Benchmark(Description = "first read in a run: verify (sha256) + decode 50,000 x 384")]
    public int FirstRead() => new FeatureCache(folder).TryRead(key, out var features, out _) ? features.Rows : -1;

    [Benchmark(Description = "later read in the run: decode 50,000 x 384")]
    public int VerifiedRead() => cache.Read(key).Rows;
}
