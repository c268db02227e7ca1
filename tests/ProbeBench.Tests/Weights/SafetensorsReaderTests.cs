using System.Buffers.Binary;
using ProbeBench.Core;
using ProbeBench.Core.IO;
using ProbeBench.Core.Weights;
using ProbeBench.Tests.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeBench.Tests.Weights;

public sealed class SafetensorsReaderTests
{
    [SharedTheory]
    [InlineData("vit_tiny_p14", "hf/model.safetensors")]
    [InlineData("vit_tiny_p14_reg4", "hf/model.safetensors")]
    [InlineData("vit_tiny_p14_swiglu", "hf/model.safetensors")]
    [InlineData("vit_tiny_p14", "expected.safetensors")]
    [InlineData("vit_tiny_p14_reg4", "expected.safetensors")]
    public void Reads_every_fixture_tensor_byte_for_byte(string variant, string file)
    {
        var path = SharedFixtures.Path(["fixtures", "dinov2", variant, .. file.Split('/')]);
        var header = SafetensorsHeader.Read(path);
        var fileBytes = File.ReadAllBytes(path);

        using var state = SafetensorsReader.Read(path);

        Assert.Equal(header.Entries.Select(e => e.Name), state.Keys);
        Assert.Equal(CheckpointFormat.Safetensors, state.Info.Format);
        Assert.Equal(FileHashing.Sha256(path), state.Info.Sha256);
        Assert.Equal(fileBytes.Length, state.Info.SizeBytes);
        foreach (var entry in header.Entries)
        {
            var tensor = state[entry.Name];
            Assert.Equal(entry.Shape, tensor.shape);
            Assert.Equal(ScalarType.Float32, tensor.dtype);
            if (entry.ElementCount == 0)
            {
                Assert.Equal(0, tensor.numel());
                continue;
            }
            var expected = new float[entry.ElementCount];
            for (var i = 0; i < expected.Length; i++)
                expected[i] = BinaryPrimitives.ReadSingleLittleEndian(fileBytes.AsSpan((int)entry.FileOffset + 4 * i));
            Assert.Equal(expected, tensor.data<float>().ToArray());
        }
    }

    [Fact]
    public void Reads_each_dtype_with_its_values()
    {
        using var temp = new TempDirectory();
        var path = temp.File("dtypes.safetensors");
        var half = new byte[6];
        BinaryPrimitives.WriteHalfLittleEndian(half.AsSpan(0), (Half)1.5f);
        BinaryPrimitives.WriteHalfLittleEndian(half.AsSpan(2), (Half)(-2f));
        BinaryPrimitives.WriteHalfLittleEndian(half.AsSpan(4), (Half)0.25f);
        // bf16 is the upper half of a float32: 3.0f = 0x40400000, -0.5f = 0xBF000000
        byte[] bf16 = [0x40, 0x40, 0x00, 0xBF];
        var f64 = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(f64.AsSpan(0), Math.PI);
        BinaryPrimitives.WriteDoubleLittleEndian(f64.AsSpan(8), -1e300);
        var i64 = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(i64.AsSpan(0), long.MaxValue);
        BinaryPrimitives.WriteInt64LittleEndian(i64.AsSpan(8), -7);
        new SafetensorsFileBuilder()
            .Add("half", "F16", [3], half)
            .Add("bf16", "BF16", [2, 1], bf16)
            .Add("f64", "F64", [2], f64)
            .Add("i64", "I64", [2], i64)
            .Add("flag", "BOOL", [2], [1, 0])
            .Add("empty", "F32", [0, 5], [])
            .AddFloats("scalar", [], 42f)
            .Write(path);

        using var state = SafetensorsReader.Read(path);

        Assert.Equal(ScalarType.Float16, state["half"].dtype);
        using (var asFloat = state["half"].to_type(ScalarType.Float32))
            Assert.Equal([1.5f, -2f, 0.25f], asFloat.data<float>().ToArray());
        Assert.Equal(ScalarType.BFloat16, state["bf16"].dtype);
        Assert.Equal(new long[] { 2, 1 }, state["bf16"].shape);
        using (var asFloat = state["bf16"].to_type(ScalarType.Float32))
            Assert.Equal([3f, -0.5f], asFloat.data<float>().ToArray());
        Assert.Equal(ScalarType.Float64, state["f64"].dtype);
        Assert.Equal([Math.PI, -1e300], state["f64"].data<double>().ToArray());
        Assert.Equal([long.MaxValue, -7L], state["i64"].data<long>().ToArray());
        Assert.Equal([true, false], state["flag"].data<bool>().ToArray());
        Assert.Equal(new long[] { 0, 5 }, state["empty"].shape);
        Assert.Empty(state["scalar"].shape);
        Assert.Equal(42f, state["scalar"].item<float>());
    }

    [Fact]
    public void Tensors_outlive_a_dispose_scope_around_the_read_until_the_state_dict_is_disposed()
    {
        using var temp = new TempDirectory();
        var path = temp.File("w.safetensors");
        new SafetensorsFileBuilder().AddFloats("w", [2, 2], 1, 2, 3, 4).Write(path);

        StateDict state;
        using (NewDisposeScope())
            state = SafetensorsReader.Read(path);
        var w = state["w"];
        Assert.Equal(10f, w.sum().item<float>());

        var taken = state.Take("w");
        Assert.False(state.ContainsKey("w"));
        state.Dispose();
        Assert.False(taken.IsInvalid);
        taken.Dispose();
        Assert.True(taken.IsInvalid);
    }

    [Fact]
    public void Disposing_the_state_dict_disposes_its_tensors()
    {
        using var temp = new TempDirectory();
        var path = temp.File("w.safetensors");
        new SafetensorsFileBuilder().AddFloats("a", [1], 1).AddFloats("b", [1], 2).Write(path);
        var state = SafetensorsReader.Read(path);
        var tensors = state.Values.ToList();
        state.Dispose();
        Assert.All(tensors, t => Assert.True(t.IsInvalid));
    }

    [Fact]
    public void Missing_key_names_key_and_file()
    {
        using var temp = new TempDirectory();
        var path = temp.File("w.safetensors");
        new SafetensorsFileBuilder().AddFloats("w", [1], 1).Write(path);
        using var state = SafetensorsReader.Read(path);
        var error = Assert.Throws<ProbeBenchException>(() => state["nope"]);
        Assert.Contains("'nope'", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Corrupt_header_fails_before_any_tensor_is_allocated()
    {
        using var temp = new TempDirectory();
        var path = temp.File("bad.safetensors");
        SafetensorsFileBuilder.WriteRaw(path, "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8]);
        var error = Assert.Throws<ProbeBenchException>(() => SafetensorsReader.Read(path));
        Assert.Contains("'w'", error.Message);
    }
}
