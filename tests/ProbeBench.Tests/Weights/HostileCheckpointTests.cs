using System.IO.Compression;
using System.Numerics;
using ProbeBench.Core;
using ProbeBench.Core.Models;
using ProbeBench.Core.Weights;
using ProbeBench.Core.Weights.Pickle;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Weights;

/// <summary>Issue 9, items 5, 6 and 10: checkpoints built to exhaust memory, crash the parser or be refused wrongly.</summary>
public class HostileCheckpointTests
{
    [Theory]
    [InlineData(1L << 31)]
    [InlineData(1L << 40)]
    [InlineData(-(1L << 40))]
    [InlineData(long.MaxValue)]
    public void Long1_integers_that_fit_64_bits_are_plain_integers(long value)
    {
        var pickle = new PickleBuilder().Proto().Long1(value).Op('.').ToArray();
        var loaded = new RestrictedUnpickler(pickle, new Dictionary<string, Func<object?[], object?>>(), new HashSet<string>(), id => id).Load();
        Assert.Equal(value, Assert.IsType<long>(loaded));
    }

    [Fact]
    public void Long1_integers_beyond_64_bits_stay_big_integers()
    {
        var bytes = (BigInteger.One << 70).ToByteArray();
        var pickle = new PickleBuilder().Proto().Raw(0x8a, (byte)bytes.Length).Raw(bytes).Op('.').ToArray();
        var loaded = new RestrictedUnpickler(pickle, new Dictionary<string, Func<object?[], object?>>(), new HashSet<string>(), id => id).Load();
        Assert.Equal(BigInteger.One << 70, Assert.IsType<BigInteger>(loaded));
    }

    [Fact]
    public void A_checkpoint_whose_integers_are_written_as_long1_loads()
    {
        using var temp = new TempDirectory();
        var path = temp.File("long1.pth");
        var pickle = new PickleBuilder().Proto().Op('}').Mark().Unicode("t").Tensor("0", 4, 1, [3], [1], long1: true).Op('u').Op('.').ToArray();
        PickleBuilder.WriteCheckpoint(path, pickle, new Dictionary<string, byte[]> { ["0"] = PickleBuilder.Floats(1, 2, 3, 4) });

        using var state = PthCheckpointReader.Read(path);
        Assert.Equal([2f, 3f, 4f], state["t"].data<float>().ToArray());
    }

    [Fact]
    public void A_stride_0_tensor_claiming_64_GiB_is_refused_before_anything_is_allocated()
    {
        using var temp = new TempDirectory();
        var path = temp.File("stride0.pth");
        var pickle = new PickleBuilder().Proto().Op('}').Mark().Unicode("t").Tensor("0", 4, 0, [65536, 65536, 4], [0, 0, 1]).Op('u').Op('.').ToArray();
        PickleBuilder.WriteCheckpoint(path, pickle, new Dictionary<string, byte[]> { ["0"] = PickleBuilder.Floats(1, 2, 3, 4) });
        Assert.True(new FileInfo(path).Length < 1000);

        var error = Assert.Throws<ProbeBenchException>(() => PthCheckpointReader.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("has 17179869184 elements but its storage holds 4", error.Message);
        // The shape-only reader (plans, inspect) refuses it the same way.
        Assert.Contains("17179869184", Assert.Throws<ProbeBenchException>(() => PthCheckpointReader.ReadShapes(path)).Message);
    }

    [Fact]
    public void A_storage_claiming_more_bytes_than_a_long_holds_is_refused()
    {
        using var temp = new TempDirectory();
        var path = temp.File("count.pth");
        // 2^62 float elements: 2^64 bytes, which wraps to 0 in unchecked arithmetic and would match an empty entry.
        var pickle = new PickleBuilder().Proto().Op('}').Mark().Unicode("t").Tensor("0", 1L << 62, 0, [1], [1]).Op('u').Op('.').ToArray();
        PickleBuilder.WriteCheckpoint(path, pickle, new Dictionary<string, byte[]> { ["0"] = [] });
        Assert.Contains("more bytes than any file holds", Assert.Throws<ProbeBenchException>(() => PthCheckpointReader.Read(path)).Message);
    }

    [Fact]
    public void A_zip_bomb_storage_is_refused_without_inflating_it()
    {
        using var temp = new TempDirectory();
        var path = temp.File("bomb.pth");
        const int floats = 16 << 20; // 64 MiB of zeros deflate to about 64 KiB
        var pickle = new PickleBuilder().Proto().Op('}').Mark().Unicode("t").Tensor("0", floats, 0, [floats], [1]).Op('u').Op('.').ToArray();
        PickleBuilder.WriteCheckpoint(path, pickle, new Dictionary<string, byte[]> { ["0"] = new byte[floats * 4L] }, storageCompression: CompressionLevel.SmallestSize);
        Assert.True(new FileInfo(path).Length < (1 << 20), $"{new FileInfo(path).Length} bytes");

        var error = Assert.Throws<ProbeBenchException>(() => PthCheckpointReader.Read(path));
        Assert.Contains("zip entry 'archive/data/0' would inflate", error.Message);
        Assert.Contains("nothing was inflated", error.Message);
    }

    [Fact]
    public void Deflated_storages_of_ordinary_weights_still_load()
    {
        using var temp = new TempDirectory();
        var path = temp.File("deflated.pth");
        var random = new Random(1);
        var values = Enumerable.Range(0, 1 << 19).Select(_ => (float)random.NextDouble()).ToArray(); // 2 MiB: past the floor
        var pickle = new PickleBuilder().Proto().Op('}').Mark().Unicode("t").Tensor("0", values.Length, 0, [values.Length], [1]).Op('u').Op('.').ToArray();
        PickleBuilder.WriteCheckpoint(path, pickle, new Dictionary<string, byte[]> { ["0"] = PickleBuilder.Floats(values) }, storageCompression: CompressionLevel.SmallestSize);

        using var state = PthCheckpointReader.Read(path);
        Assert.Equal(values, state["t"].data<float>().ToArray());
    }

    [Fact]
    public void Shapes_are_checked_against_the_architecture_before_any_storage_is_read()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("config.json"), HostileCheckpoints.TinyConfigJson);
        var path = temp.File("wrong-shape.pth");
        // Official keys, one of them far too large, and no storage entries at all: reading any storage would fail with
        // "no zip entry"; the architecture check must come first and name the tensor.
        var shapes = HostileCheckpoints.TinyShapes().Reshaped("norm.weight", [1 << 30]);
        var pickle = new PickleBuilder().Proto().Op('}').Mark();
        for (var i = 0; i < shapes.Count; i++)
        {
            var elements = shapes[i].Shape.Aggregate(1L, (a, b) => a * b);
            pickle.Unicode(shapes[i].Key).Tensor(i.ToString(System.Globalization.CultureInfo.InvariantCulture), elements, 0, shapes[i].Shape,
                Strides(shapes[i].Shape));
        }
        PickleBuilder.WriteCheckpoint(path, pickle.Op('u').Op('.').ToArray(), new Dictionary<string, byte[]>());

        var error = Assert.Throws<ProbeBenchException>(() => BackboneCheckpoints.Load(path, configPath: temp.File("config.json")));
        Assert.Contains("does not fit the model", error.Message);
        Assert.Contains("norm.weight is [1073741824] but the model needs [8]", error.Message);
    }

    // patch size 0; a block index beyond int; Arabic-Indic digits (which \d matches); a block past the depth limit.
    public static TheoryData<string, string> HostileKeys => new()
    {
        { "patch_embed.proj.weight=[8,3,0,0]", "the patch size of patch_embed.proj.weight is 0; ProbeBench accepts 1 to 256" },
        { "blocks.0.norm1.weight->blocks.99999999999.norm1.weight", "the key 'blocks.99999999999.norm1.weight' has block index 99999999999" },
        { "blocks.0.norm1.weight->blocks.\u0663.norm1.weight", "the key 'blocks.\u0663.norm1.weight' has a block index '\u0663' that is not a plain number" },
        { "blocks.0.norm1.weight->blocks.256.norm1.weight", "ProbeBench reads at most 256 blocks" },
    };

    [Theory]
    [MemberData(nameof(HostileKeys))]
    public void Hostile_shapes_and_keys_in_a_safetensors_are_one_line_naming_them(string edit, string expected)
    {
        using var temp = new TempDirectory();
        var path = temp.File("hostile.safetensors");
        HostileCheckpoints.WriteSafetensors(path, Apply(HostileCheckpoints.TinyShapes(), edit));

        var error = Assert.Throws<ProbeBenchException>(() => BackboneCheckpoints.Describe(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
        Assert.Contains(expected, Assert.Throws<ProbeBenchException>(() => BackboneCheckpoints.Load(path)).Message);
    }

    [Theory]
    [InlineData("encoder.layer.99999999999.norm1.weight", "block index 99999999999")]
    [InlineData("encoder.layer.\u0663.norm1.weight", "is not a plain number")]
    [InlineData("encoder.layer.99999999999.attention.attention.query.weight", "block index 99999999999")]
    public void Hostile_block_indices_in_transformers_keys_are_one_line_naming_them(string key, string expected)
    {
        using var temp = new TempDirectory();
        var path = temp.File("hf.safetensors");
        new SafetensorsFileBuilder()
            .AddFloats("embeddings.patch_embeddings.projection.weight", [1, 1, 1, 1], 0)
            .AddFloats(key, [1], 0)
            .Write(path);

        var error = Assert.Throws<ProbeBenchException>(() => BackboneCheckpoints.Read(path));
        Assert.Contains(key, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [SharedFact]
    public void Through_the_cli_a_hostile_checkpoint_is_one_error_line_and_exit_2()
    {
        using var temp = new TempDirectory();
        var path = temp.File("stride0.pth");
        var pickle = new PickleBuilder().Proto().Op('}').Mark().Unicode("t").Tensor("0", 4, 0, [65536, 65536, 4], [0, 0, 1]).Op('u').Op('.').ToArray();
        PickleBuilder.WriteCheckpoint(path, pickle, new Dictionary<string, byte[]> { ["0"] = PickleBuilder.Floats(1, 2, 3, 4) });
        var patch0 = temp.File("patch0.safetensors");
        HostileCheckpoints.WriteSafetensors(patch0, Apply(HostileCheckpoints.TinyShapes(), "patch_embed.proj.weight=[8,3,0,0]"));

        foreach (var (file, expected) in new[] { (path, "repeats elements"), (patch0, "patch size of patch_embed.proj.weight is 0") })
        {
            var inspect = CliProcess.Run(["inspect", file]);
            Assert.Equal(2, inspect.ExitCode);
            var line = Assert.Single(inspect.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: ", line);
            Assert.Contains(expected, line);
        }
    }

    private static List<(string Key, long[] Shape)> Apply(List<(string Key, long[] Shape)> shapes, string edit)
    {
        if (edit.Contains("->"))
        {
            var parts = edit.Split("->");
            return shapes.Renamed(parts[0], parts[1]);
        }
        var (key, shape) = (edit[..edit.IndexOf('=')], edit[(edit.IndexOf('=') + 2)..^1].Split(',').Select(d => long.Parse(d, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        return shapes.Reshaped(key, shape);
    }

    private static long[] Strides(long[] shape)
    {
        var strides = new long[shape.Length];
        var stride = 1L;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= shape[i];
        }
        return strides;
    }
}
