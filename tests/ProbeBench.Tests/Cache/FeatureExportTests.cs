using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Parquet.Serialization;
using ProbeBench.Core.Cache.Export;
using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Weights;
using ProbeBench.Tests.Data;
using ProbeBench.Tests.TestSupport;
using SkiaSharp;

namespace ProbeBench.Tests.Cache;

/// <summary>Features leave ProbeBench as .npy, safetensors and Parquet, with labels, class names, image paths and provenance.</summary>
public sealed class FeatureExportTests
{
    [SharedFact]
    public async Task A_runs_features_export_to_every_format_with_ids_classes_and_provenance()
    {
        using var dir = new TempDirectory();
        foreach (var split in new[] { "train", "test" })
            for (var c = 0; c < 2; c++)
                for (var i = 0; i < 4; i++)
                {
                    Directory.CreateDirectory(dir.File("pets", split, $"class{c}"));
                    ImageFiles.WriteRgb(dir.File("pets", split, $"class{c}", $"img{i}.png"), 20, 20, seed: 10 * c + i, SKEncodedImageFormat.Png);
                }
        var fixture = SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14");
        var plan = new RunPlan
        {
            Models = [new ModelSpec("tiny", Path.Combine(fixture, "weights.pth"), Path.Combine(fixture, "hf", "config.json"))],
            Datasets = [new DatasetSpec(dir.File("pets"))], Layers = ["cls@last", "avgpool@1"], Heads = ["ncm"], Recipe = "custom:size=28",
            BatchSize = 4, BootstrapSamples = 20, CacheRoot = dir.File("cache"), DataRoot = dir.File("data"), Out = dir.File("runs"),
        };
        await RunExecutor.RunAsync(plan, runName: "pets-run");

        var npy = await FeatureExport.RunAsync(new FeatureExport.Request("pets-run", dir.File("npy"), "npy", ResultsRoot: dir.File("runs")));
        Assert.Equal(2 * 2 * 3, npy.Count); // 2 splits × 2 layer choices × (features, labels, sidecar)
        var stem = dir.File("npy", "tiny__pets__train__cls@last");
        var (shape, values) = ReadNpy(stem + ".features.npy");
        Assert.Equal([8L, 48], shape);
        Assert.Equal(8 * 48, values.Length);
        Assert.Equal([8L], ReadNpy(stem + ".labels.npy").Shape);
        using var sidecar = JsonDocument.Parse(File.ReadAllText(stem + ".json"));
        Assert.Equal(["class0", "class1"], sidecar.RootElement.GetProperty("classes").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("class1/img3.png", sidecar.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("cls@last", sidecar.RootElement.GetProperty("provenance").GetProperty("parts").GetProperty("LayerChoice").GetString());

        var safetensors = await FeatureExport.RunAsync(new FeatureExport.Request(dir.File("runs", "pets-run"), dir.File("st"), "safetensors", Layers: ["avgpool@1"], Splits: ["test"]));
        var file = Assert.Single(safetensors);
        using (var state = SafetensorsReader.Read(file))
        {
            Assert.Equal([8L, 48], state["features"].shape);
            Assert.Equal(TorchSharp.torch.ScalarType.Int64, state["labels"].dtype);
        }
        Assert.Contains("class0/img0.png", SafetensorsHeader.Read(file).Metadata["ids"]);

        var parquet = await FeatureExport.RunAsync(new FeatureExport.Request("pets-run", dir.File("pq"), "parquet", ResultsRoot: dir.File("runs"), Splits: ["train"], Layers: ["cls@last"]));
        await using var stream = File.OpenRead(parquet.Single(p => p.EndsWith(".parquet", StringComparison.Ordinal)));
        var rows = (await ParquetSerializer.DeserializeAsync<ParquetFeatureRow>(stream)).Data.ToList();
        Assert.Equal(8, rows.Count);
        Assert.All(rows, r => Assert.Equal(48, r.Features.Length));
        Assert.Equal(values[..48], rows[0].Features);
        Assert.Equal(rows.Select(r => $"class{r.Label}"), rows.Select(r => r.Class));
    }

    [SharedFact]
    public async Task Two_models_of_one_name_export_apart_by_cache_key()
    {
        using var dir = new TempDirectory();
        foreach (var split in new[] { "train", "test" })
            for (var c = 0; c < 2; c++)
                for (var i = 0; i < 2; i++)
                {
                    Directory.CreateDirectory(dir.File("pets", split, $"class{c}"));
                    ImageFiles.WriteRgb(dir.File("pets", split, $"class{c}", $"img{i}.png"), 20, 20, seed: 10 * c + i, SKEncodedImageFormat.Png);
                }
        ModelSpec Tiny(string variant) => new("tiny", SharedFixtures.Path("fixtures", "dinov2", variant, "weights.pth"),
            SharedFixtures.Path("fixtures", "dinov2", variant, "hf", "config.json"));
        var plan = new RunPlan
        {
            Models = [Tiny("vit_tiny_p14"), Tiny("vit_tiny_p14_reg4")], Datasets = [new DatasetSpec(dir.File("pets"))], Layers = ["cls@last"],
            Heads = ["ncm"], Recipe = "custom:size=28", BatchSize = 4, BootstrapSamples = 20,
            CacheRoot = dir.File("cache"), DataRoot = dir.File("data"), Out = dir.File("runs"),
        };
        await RunExecutor.RunAsync(plan, runName: "two-tiny");

        var files = await FeatureExport.RunAsync(new FeatureExport.Request("two-tiny", dir.File("npy"), "npy", ResultsRoot: dir.File("runs"), Splits: ["test"]));
        var features = files.Where(f => f.EndsWith(".features.npy", StringComparison.Ordinal)).Select(Path.GetFileName).ToList();
        Assert.Equal(2, features.Count);
        Assert.All(features, f => Assert.Matches(@"^tiny__pets__test__cls@last__[0-9a-f]{12}\.features\.npy$", f));
        Assert.NotEqual(features[0], features[1]);
    }

    [Fact]
    public void The_npy_header_is_what_numpy_writes()
    {
        using var stream = new MemoryStream();
        NpyWriter.Write(stream, new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var bytes = stream.ToArray();
        Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], bytes[..8]);
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header);
        Assert.EndsWith("\n", header);
        Assert.Equal(10 + headerLength + 6 * 4, bytes.Length);
    }

    private static (long[] Shape, float[] Values) ReadNpy(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var length = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        var header = Encoding.ASCII.GetString(bytes, 10, length);
        var inside = header[(header.IndexOf("'shape': (", StringComparison.Ordinal) + 10)..];
        var shape = inside[..inside.IndexOf(')')].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
        var data = bytes.AsSpan(10 + length);
        return (shape, header.Contains("<f4") ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data).ToArray() : []);
    }
}
