using BenchmarkDotNet.Attributes;
using ProbeBench.Core.Data;
using ProbeBench.Core.Preprocessing;
using ProbeBench.Core.Runtime;
using static TorchSharp.torch;

namespace ProbeBench.Benchmarks;

/// <summary>
/// Preprocessing a batch of 64 CIFAR-sized (32×32) images to network inputs on CPU, float32, per named recipe:
/// the batched path (one uint8 N×H×W×3 upload, one interpolate) against one image at a time.
/// </summary>
public class PreprocessBenchmarks
{
    private const int BatchSize = 64;
    private List<RgbImage> images = null!;
    private TensorPreprocessor preprocessor = null!;

    [Params("dinov2-eval", "resize-224")]
    public string Recipe { get; set; } = "dinov2-eval";

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        var random = new Random(0);
        images = Enumerable.Range(0, BatchSize).Select(_ =>
        {
            var pixels = new byte[32 * 32 * 3];
            random.NextBytes(pixels);
            return new RgbImage(pixels, 32, 32);
        }).ToList();
        preprocessor = new TensorPreprocessor(PreprocessRecipes.Parse(Recipe));
    }

    [Benchmark(Baseline = true, Description = "64 images, batched")]
    public long Batched()
    {
        using var batch = preprocessor.Apply(images, CPU, ScalarType.Float32);
        return batch.shape[0];
    }

    [Benchmark(Description = "64 images, one at a time")]
    public long OneAtATime()
    {
        long rows = 0;
        foreach (var image in images)
        {
            using var one = preprocessor.Apply([image], CPU, ScalarType.Float32);
            rows += one.shape[0];
        }
        return rows;
    }
}
