using ProbeBench.Core;
using ProbeBench.Core.IO;
using ProbeBench.Core.Models;
using ProbeBench.Core.Weights;
using ProbeBench.Tests.TestSupport;
using static TorchSharp.torch;

namespace ProbeBench.Tests.Weights;

public sealed class PthCheckpointReaderTests
{
    public static TheoryData<string> Variants => new() { "vit_tiny_p14", "vit_tiny_p14_reg4", "vit_tiny_p14_swiglu" };

    private static string Fixture(string variant, params string[] parts) =>
        SharedFixtures.Path(["fixtures", "dinov2", variant, .. parts]);

    [SharedTheory]
    [MemberData(nameof(Variants))]
    public void Fixture_pth_equals_the_mapped_hf_weights_tensor_by_tensor(string variant)
    {
        using var pth = PthCheckpointReader.Read(Fixture(variant, "weights.pth"));
        using var hf = BackboneCheckpoints.Read(Fixture(variant, "hf"));

        Assert.Equal(CheckpointFormat.TorchZip, pth.Info.Format);
        Assert.Equal(FileHashing.Sha256(Fixture(variant, "weights.pth")), pth.Info.Sha256);
        Assert.Equal(CheckpointFormat.HuggingFace, hf.Info.Format);
        Assert.Equal(Fixture(variant, "hf", "config.json"), hf.Info.ConfigPath);
        Assert.Equal(pth.Keys.Order(), hf.Keys.Order());
        foreach (var (key, tensor) in pth)
        {
            Assert.Equal(ScalarType.Float32, tensor.dtype);
            Assert.True(tensor.is_contiguous(), key);
            Assert.True(tensor.shape.SequenceEqual(hf[key].shape), $"{key}: [{string.Join(",", tensor.shape)}] vs [{string.Join(",", hf[key].shape)}]");
            Assert.True(tensor.equal(hf[key]).all().item<bool>(), key);
        }
    }

    [SharedFact]
    public void Fixture_pth_keys_are_the_official_layout_in_file_order()
    {
        using var pth = PthCheckpointReader.Read(Fixture("vit_tiny_p14_reg4", "weights.pth"));
        Assert.Equal(["cls_token", "pos_embed", "register_tokens", "mask_token", "patch_embed.proj.weight"], pth.Keys.Take(5));
        Assert.Equal(["norm.weight", "norm.bias"], pth.Keys.TakeLast(2));
        Assert.Equal(new long[] { 1, 1370, 48 }, pth["pos_embed"].shape);
        Assert.Equal(new long[] { 144, 48 }, pth["blocks.3.attn.qkv.weight"].shape);
    }

    [Fact]
    public void Offsets_strides_and_shared_storages_are_rebuilt_like_torch()
    {
        using var temp = new TempDirectory();
        var path = temp.File("strided.pth");
        var pickle = new PickleBuilder().Proto().Op('}').Mark()
            .Unicode("whole").Tensor("0", 6, 0, [2, 3], [3, 1])
            .Unicode("transposed").Tensor("0", 6, 0, [3, 2], [1, 3])
            .Unicode("tail").Tensor("0", 6, 2, [4], [1])
            .Unicode("other").Tensor("1", 2, 0, [2], [1])
            .Op('u').Op('.').ToArray();
        PickleBuilder.WriteCheckpoint(path, pickle, new Dictionary<string, byte[]>
        {
            ["0"] = PickleBuilder.Floats(0, 1, 2, 3, 4, 5),
            ["1"] = PickleBuilder.Floats(7, 8),
        });

        using var state = PthCheckpointReader.Read(path);

        Assert.Equal(["whole", "transposed", "tail", "other"], state.Keys);
        Assert.Equal([0f, 1, 2, 3, 4, 5], state["whole"].data<float>().ToArray());
        Assert.Equal(new long[] { 3, 2 }, state["transposed"].shape);
        Assert.True(state["transposed"].is_contiguous());
        Assert.Equal([0f, 3, 1, 4, 2, 5], state["transposed"].data<float>().ToArray());
        Assert.Equal([2f, 3, 4, 5], state["tail"].data<float>().ToArray());
        Assert.Equal([7f, 8], state["other"].data<float>().ToArray());
        // A copy for a partial view must not alias the storage it came from.
        state["tail"].fill_(-1);
        Assert.Equal(2f, state["whole"][0, 2].item<float>());
    }

    [Theory]
    [InlineData("HalfStorage", ScalarType.Float16)]
    [InlineData("BFloat16Storage", ScalarType.BFloat16)]
    [InlineData("DoubleStorage", ScalarType.Float64)]
    [InlineData("LongStorage", ScalarType.Int64)]
    public void Reads_other_storage_types(string storageType, ScalarType expected)
    {
        using var temp = new TempDirectory();
        var path = temp.File("typed.pth");
        var elementSize = expected is ScalarType.Float64 or ScalarType.Int64 ? 8 : 2;
        var pickle = new PickleBuilder().Proto().Op('}').Mark().Unicode("t").Tensor("0", 3, 0, [3], [1], storageType).Op('u').Op('.').ToArray();
        using (var reference = tensor(new float[] { 1.5f, -2f, 3f }).to_type(expected))
        {
            var bytes = reference.bytes.ToArray();
            Assert.Equal(3 * elementSize, bytes.Length);
            PickleBuilder.WriteCheckpoint(path, pickle, new Dictionary<string, byte[]> { ["0"] = bytes });
            using var state = PthCheckpointReader.Read(path);
            Assert.Equal(expected, state["t"].dtype);
            Assert.True(state["t"].equal(reference).all().item<bool>());
        }
    }

    [Theory]
    [InlineData("os", "system")]
    [InlineData("builtins", "eval")]
    [InlineData("__builtin__", "exec")]
    [InlineData("subprocess", "Popen")]
    [InlineData("torch", "load")]
    public void Forbidden_globals_are_refused_by_name_without_running_anything(string module, string name)
    {
        using var temp = new TempDirectory();
        var path = temp.File("evil.pth");
        var pickle = new PickleBuilder().Proto().Global(module, name).Mark().Unicode("touch /tmp/pwned").Op('t').Op('R').Op('.').ToArray();
        PickleBuilder.WriteCheckpoint(path, pickle, new Dictionary<string, byte[]>());

        var error = Assert.Throws<ProbeBenchException>(() => PthCheckpointReader.Read(path));
        Assert.Contains($"'{module}.{name}'", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Forbidden_global_via_stack_global_is_refused()
    {
        using var temp = new TempDirectory();
        var path = temp.File("evil4.pth");
        var pickle = new PickleBuilder().Raw(0x80, 4).Raw(0x8c, 8).Raw("builtins"u8.ToArray()).Raw(0x8c, 4).Raw("eval"u8.ToArray())
            .Raw(0x93).Mark().Unicode("1+1").Op('t').Op('R').Op('.').ToArray();
        PickleBuilder.WriteCheckpoint(path, pickle, new Dictionary<string, byte[]>());
        var error = Assert.Throws<ProbeBenchException>(() => PthCheckpointReader.Read(path));
        Assert.Contains("'builtins.eval'", error.Message);
    }

    [Theory]
    [InlineData('i')] // INST: instantiate a class named inline
    [InlineData('o')] // OBJ
    [InlineData((char)0x81)] // NEWOBJ
    [InlineData((char)0x82)] // EXT1
    public void Class_building_opcodes_are_refused(char opcode)
    {
        using var temp = new TempDirectory();
        var path = temp.File("opcode.pth");
        var pickle = new PickleBuilder().Proto().Mark().Op(opcode).Raw("os\nsystem\n"u8.ToArray()).Op('.').ToArray();
        PickleBuilder.WriteCheckpoint(path, pickle, new Dictionary<string, byte[]>());
        var error = Assert.Throws<ProbeBenchException>(() => PthCheckpointReader.Read(path));
        Assert.Contains($"opcode 0x{(byte)opcode:x2}", error.Message);
    }

    [Fact]
    public void Calling_an_allowed_storage_type_is_refused()
    {
        using var temp = new TempDirectory();
        var path = temp.File("call-storage.pth");
        var pickle = new PickleBuilder().Proto().Global("torch", "FloatStorage").Op(')').Op('R').Op('.').ToArray();
        PickleBuilder.WriteCheckpoint(path, pickle, new Dictionary<string, byte[]>());
        var error = Assert.Throws<ProbeBenchException>(() => PthCheckpointReader.Read(path));
        Assert.Contains("torch.FloatStorage", error.Message);
    }

    public static TheoryData<string, string> CorruptPickles => new()
    {
        { "no-stop", "\u0080\u0002}" },
        { "stack-underflow", "\u0080\u0002u." },
        { "memo-miss", "\u0080\u0002h\u0005." },
        { "not-a-dict", "\u0080\u0002]." },
    };

    [Theory]
    [MemberData(nameof(CorruptPickles))]
    public void Corrupt_pickles_give_one_clear_error(string name, string pickle)
    {
        using var temp = new TempDirectory();
        var path = temp.File($"{name}.pth");
        PickleBuilder.WriteCheckpoint(path, System.Text.Encoding.Latin1.GetBytes(pickle), new Dictionary<string, byte[]>());
        var error = Assert.Throws<ProbeBenchException>(() => PthCheckpointReader.Read(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Strides_reaching_past_the_storage_are_refused()
    {
        using var temp = new TempDirectory();
        var path = temp.File("oob.pth");
        var pickle = new PickleBuilder().Proto().Op('}').Mark().Unicode("t").Tensor("0", 4, 1, [2, 2], [2, 1]).Op('u').Op('.').ToArray();
        PickleBuilder.WriteCheckpoint(path, pickle, new Dictionary<string, byte[]> { ["0"] = PickleBuilder.Floats(1, 2, 3, 4) });
        var error = Assert.Throws<ProbeBenchException>(() => PthCheckpointReader.Read(path));
        Assert.Contains("storage '0'", error.Message);
    }

    [Fact]
    public void A_storage_entry_claiming_more_bytes_than_the_file_holds_is_refused_before_anything_is_allocated()
    {
        // 512 bytes that declare a 32 GiB storage, in a zip64 entry whose stored sizes agree with the pickle: allocating it
        // first would fail (or take the machine's memory) before the missing data is noticed.
        using var temp = new TempDirectory();
        var path = temp.File("claim.pth");
        const long elements = 1L << 33;
        var pickle = new PickleBuilder().Proto().Op('}').Mark().Unicode("t").Tensor("0", elements, 0, [elements], [1], long1: true).Op('u').Op('.').ToArray();
        File.WriteAllBytes(path, ClaimingZip(pickle, "archive/data/0", 4 * elements));

        var error = Assert.Throws<ProbeBenchException>(() => PthCheckpointReader.Read(path));
        Assert.Contains("'archive/data/0' claims 34359738368 bytes", error.Message);
    }

    [Fact]
    public void A_data_pkl_failing_its_crc_is_refused()
    {
        using var temp = new TempDirectory();
        var path = temp.File("crc.pth");
        var pickle = new PickleBuilder().Proto().Op('}').Mark().Unicode("t").Tensor("0", 4, 0, [4], [1]).Op('u').Op('.').ToArray();
        PickleBuilder.WriteCheckpoint(path, pickle, new Dictionary<string, byte[]> { ["0"] = PickleBuilder.Floats(1, 2, 3, 4) });
        var bytes = File.ReadAllBytes(path);
        // The tensor's key "t" is a one-byte string in the pickle: make it "u" (still a valid pickle, a different state dict).
        var at = bytes.AsSpan().IndexOf("X\u0001\0\0\0t"u8);
        bytes[at + 5] = (byte)'u';
        File.WriteAllBytes(path, bytes);
        Assert.Contains("'archive/data.pkl' fails its CRC-32 check", Assert.Throws<ProbeBenchException>(() => PthCheckpointReader.Read(path)).Message);
    }

    // A zip with a stored archive/data.pkl and one zip64 entry that claims `claimed` bytes but holds none.
    private static byte[] ClaimingZip(byte[] pickle, string claimingName, long claimed)
    {
        var body = new MemoryStream();
        var central = new MemoryStream();
        var count = 0;
        void Entry(string name, byte[] data, long? claim)
        {
            var nameBytes = System.Text.Encoding.ASCII.GetBytes(name);
            var offset = (uint)body.Length;
            var crc = claim is null ? System.IO.Hashing.Crc32.HashToUInt32(data) : 0u;
            var extra = claim is { } c ? [.. U16(1), .. U16(16), .. BitConverter.GetBytes(c), .. BitConverter.GetBytes(c)] : Array.Empty<byte>();
            var size = claim is null ? (uint)data.Length : 0xFFFFFFFFu;
            var version = (ushort)(claim is null ? 20 : 45);
            body.Write([.. U32(0x04034b50), .. U16(version), .. U16(0), .. U16(0), .. U16(0), .. U16(0x21), .. U32(crc), .. U32(size), .. U32(size),
                .. U16((ushort)nameBytes.Length), .. U16((ushort)extra.Length), .. nameBytes, .. extra, .. data]);
            central.Write([.. U32(0x02014b50), .. U16(version), .. U16(version), .. U16(0), .. U16(0), .. U16(0), .. U16(0x21), .. U32(crc), .. U32(size), .. U32(size),
                .. U16((ushort)nameBytes.Length), .. U16((ushort)extra.Length), .. U16(0), .. U16(0), .. U16(0), .. U32(0), .. U32(offset), .. nameBytes, .. extra]);
            count++;
        }
        Entry("archive/data.pkl", pickle, null);
        Entry("archive/byteorder", "little"u8.ToArray(), null);
        Entry(claimingName, [], claimed);
        var centralBytes = central.ToArray();
        var start = (uint)body.Length;
        body.Write(centralBytes);
        body.Write([.. U32(0x06054b50), .. U16(0), .. U16(0), .. U16((ushort)count), .. U16((ushort)count), .. U32((uint)centralBytes.Length), .. U32(start), .. U16(0)]);
        return body.ToArray();
    }

    private static byte[] U16(ushort value) => BitConverter.GetBytes(value);

    private static byte[] U32(uint value) => BitConverter.GetBytes(value);

    [Fact]
    public void Missing_or_short_storage_entries_are_errors()
    {
        using var temp = new TempDirectory();
        var pickle = new PickleBuilder().Proto().Op('}').Mark().Unicode("t").Tensor("0", 4, 0, [4], [1]).Op('u').Op('.').ToArray();
        var missing = temp.File("missing.pth");
        PickleBuilder.WriteCheckpoint(missing, pickle, new Dictionary<string, byte[]>());
        Assert.Contains("archive/data/0", Assert.Throws<ProbeBenchException>(() => PthCheckpointReader.Read(missing)).Message);

        var shortEntry = temp.File("short.pth");
        PickleBuilder.WriteCheckpoint(shortEntry, pickle, new Dictionary<string, byte[]> { ["0"] = PickleBuilder.Floats(1, 2, 3) });
        Assert.Contains("needs 16", Assert.Throws<ProbeBenchException>(() => PthCheckpointReader.Read(shortEntry)).Message);
    }

    [Fact]
    public void Big_endian_checkpoints_are_refused()
    {
        using var temp = new TempDirectory();
        var path = temp.File("big.pth");
        var pickle = new PickleBuilder().Proto().Op('}').Op('.').ToArray();
        PickleBuilder.WriteCheckpoint(path, pickle, new Dictionary<string, byte[]>(), byteOrder: "big");
        Assert.Contains("'big' byte order", Assert.Throws<ProbeBenchException>(() => PthCheckpointReader.Read(path)).Message);
    }

    [Fact]
    public void Zip_without_data_pkl_is_not_a_checkpoint()
    {
        using var temp = new TempDirectory();
        var path = temp.File("nopkl.pth");
        PickleBuilder.WriteCheckpoint(path, [], new Dictionary<string, byte[]>(), includeDataPkl: false);
        Assert.Contains("data.pkl", Assert.Throws<ProbeBenchException>(() => PthCheckpointReader.Read(path)).Message);
    }

    [SharedTheory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.999)]
    public void Truncated_fixture_pth_is_one_clear_error(double keep)
    {
        using var temp = new TempDirectory();
        var bytes = File.ReadAllBytes(Fixture("vit_tiny_p14", "weights.pth"));
        var path = temp.File("cut.pth");
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * keep)]);
        var error = Assert.Throws<ProbeBenchException>(() => PthCheckpointReader.Read(path));
        Assert.Contains(path, error.Message);
    }

    [SharedFact]
    public void Corrupted_storage_bytes_in_the_fixture_are_detected_or_rejected()
    {
        using var temp = new TempDirectory();
        var bytes = File.ReadAllBytes(Fixture("vit_tiny_p14", "weights.pth"));
        // Overwrite the zip central directory signature: the archive can no longer be opened.
        var central = bytes.AsSpan().LastIndexOf("PK\u0001\u0002"u8);
        bytes[central + 2] = 0x7f;
        var path = temp.File("corrupt.pth");
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<ProbeBenchException>(() => PthCheckpointReader.Read(path));
        Assert.Contains(path, error.Message);
    }

    [SharedFact]
    public void A_flipped_byte_inside_a_storage_fails_the_crc_check()
    {
        using var temp = new TempDirectory();
        var bytes = File.ReadAllBytes(Fixture("vit_tiny_p14", "weights.pth"));
        var name = "weights/data/1"u8;
        var header = bytes.AsSpan().IndexOf(name);
        bytes[header + name.Length + 1000] ^= 0x55;
        var path = temp.File("flipped.pth");
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<ProbeBenchException>(() => PthCheckpointReader.Read(path));
        Assert.Contains("CRC-32", error.Message);
        Assert.Contains("'weights/data/1'", error.Message);
    }

    [Fact]
    public void Reads_an_ordered_dict_root_with_metadata_state_like_model_state_dict()
    {
        using var temp = new TempDirectory();
        var path = temp.File("ordered.pth");
        // OrderedDict() REDUCE, SETITEMS, then BUILD with {'_metadata': OrderedDict([('', {'version': 1})])}, as torch.save(model.state_dict()) writes.
        var pickle = new PickleBuilder().Proto().Global("collections", "OrderedDict").Op(')').Op('R').Raw((byte)'q', 0)
            .Mark().Unicode("w").Tensor("0", 2, 0, [2], [1]).Unicode("b").Tensor("1", 1, 0, [1], [1]).Op('u')
            .Op('}').Mark().Unicode("_metadata").Global("collections", "OrderedDict").Op(')').Op('R')
            .Mark().Unicode("").Op('}').Mark().Unicode("version").Int(1).Op('u').Op('u').Op('u')
            .Op('b').Op('.').ToArray();
        PickleBuilder.WriteCheckpoint(path, pickle, new Dictionary<string, byte[]>
        {
            ["0"] = PickleBuilder.Floats(1, 2),
            ["1"] = PickleBuilder.Floats(3),
        });

        using var state = PthCheckpointReader.Read(path);

        Assert.Equal(["w", "b"], state.Keys);
        Assert.Equal([1f, 2f], state["w"].data<float>().ToArray());
        Assert.Equal(3f, state["b"].item<float>());
    }
}
