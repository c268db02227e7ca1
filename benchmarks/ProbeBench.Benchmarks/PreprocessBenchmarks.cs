using BenchmarkDotNet.Attributes;
using ProbeBench.Core.Data;
using ProbeBench.Core.Preprocessing;
using ProbeBench.Core.Runtime;
using static TorchSharp.torch;

namespace ProbeBench.Benchmarks;

/// <summary>The data path on CPU: a batch of 64 CIFAR images read from the binary layout and preprocessed to 224 (resize-224).</summary>
public class PreprocessBenchmarks
{
    private CifarDataset dataset = null!;
    private TensorPreprocessor preprocessor = null!;
    private string folder = null!;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        folder = Path.Combine(Path.GetTempPath(), $"probebench-bench-{Guid.NewGuid():N}");
        SyntheticCifarWriter.Write(folder, CifarLayout.Cifar10, trainPerFile: 200, testCount: 64, seed: 0);
        dataset = CifarDataset.Open(CifarLayout.Cifar10, Path.Combine(folder, CifarLayout.Cifar10.Folder), "test");
        preprocessor = new TensorPreprocessor(PreprocessRecipe.Resize224);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(folder, recursive: true);

    [Benchmark(Description = "CIFAR record → HWC, 64 images")]
    public int DecodeBatch()
    {
        var total = 0;
        for (var i = 0; i < 64; i++) total += dataset.Load(i).Pixels.Length;
        return total;
    }

    [Benchmark(Description = "decode + resize-224 preprocess, 64 images")]
    public long DecodeAndPreprocessBatch()
    {
        using var scope = NewDisposeScope();
        var images = Enumerable.Range(0, 64).Select(dataset.Load).ToArray();
        return preprocessor.Apply(images, CPU, ScalarType.Float32).numel();
    }
}
