using BenchmarkDotNet.Attributes;
using ProbeBench.Core.Data;
using SkiaSharp;

namespace ProbeBench.Benchmarks;

/// <summary>
/// The data path before preprocessing: opening a synthetic CIFAR-10 test batch (10,000 records, official binary
/// layout) and reordering every record to HWC; and decoding one 500×375 JPEG (ImageNet's typical size) on one core,
/// so images/s per core = 1 / mean time.
/// </summary>
public class DataPathBenchmarks
{
    private string _root = null!;
    private string _cifarFolder = null!;
    private byte[] _jpeg = null!;

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), $"probebench-datapath-{Guid.NewGuid():N}");
        // 1 record per train file, 10,000 in test_batch.bin.
        _cifarFolder = SyntheticCifarWriter.Write(_root, CifarLayout.Cifar10, trainPerFile: 1, testCount: 10_000, seed: 0);

        using var bitmap = new SKBitmap(new SKImageInfo(500, 375, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var random = new Random(0);
        for (var y = 0; y < 375; y++)
            for (var x = 0; x < 500; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)(x / 2 + random.Next(16)), (byte)(y / 2 + random.Next(16)), (byte)((x + y) / 4)));
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        _jpeg = data.ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark(Description = "CIFAR-10 test_batch.bin: open + 10,000 records to HWC")]
    public long CifarReadAll()
    {
        var data = CifarDataset.Open(CifarLayout.Cifar10, _cifarFolder, "test");
        long sum = 0;
        for (var i = 0; i < data.Count; i++) sum += data.Load(i).Pixels[0];
        return sum;
    }

    [Benchmark(Description = "JPEG 500x375 decode to RGB, one core")]
    public RgbImage JpegDecode() => ImageDecoder.DecodeRgb(_jpeg, "bench.jpg");
}
