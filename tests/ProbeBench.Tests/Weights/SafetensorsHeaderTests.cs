using ProbeBench.Core;
using ProbeBench.Core.Weights;
using ProbeBench.Tests.TestSupport;
using static TorchSharp.torch;

namespace ProbeBench.Tests.Weights;

public sealed class SafetensorsHeaderTests
{
    private static string FixtureHf(string variant) => SharedFixtures.Path("fixtures", "dinov2", variant, "hf", "model.safetensors");

    [SharedFact]
    public void Reads_fixture_header_entries_with_absolute_offsets()
    {
        var path = FixtureHf("vit_tiny_p14");
        var header = SafetensorsHeader.Read(path);

        Assert.Equal("pt", header.Metadata["format"]);
        var cls = Assert.Single(header.Entries, e => e.Name == "embeddings.cls_token");
        Assert.Equal(ScalarType.Float32, cls.DType);
        Assert.Equal(new long[] { 1, 1, 48 }, cls.Shape);
        Assert.Equal(header.DataStart, cls.FileOffset);
        Assert.Equal(192, cls.ByteLength);
        var pos = Assert.Single(header.Entries, e => e.Name == "embeddings.position_embeddings");
        Assert.Equal(new long[] { 1, 1370, 48 }, pos.Shape);
        Assert.Equal(new FileInfo(path).Length, header.Entries.Max(e => e.FileOffset + e.ByteLength));
    }

    [Fact]
    public void A_shape_with_a_zero_dimension_is_an_empty_tensor_however_large_the_others()
    {
        using var temp = new TempDirectory();
        var path = temp.File("empty.safetensors");
        SafetensorsFileBuilder.WriteRaw(path, "{\"a\": {\"dtype\": \"F32\", \"shape\": [1, 4611686018427387904, 4611686018427387904, 0], \"data_offsets\": [0, 0]}}", []);
        var entry = Assert.Single(SafetensorsHeader.Read(path).Entries);
        Assert.Equal(0, entry.ByteLength);
    }

    [SharedFact]
    public void Truncated_fixture_names_the_file_and_a_tensor_past_the_end()
    {
        using var temp = new TempDirectory();
        var bytes = File.ReadAllBytes(FixtureHf("vit_tiny_p14"));
        var path = temp.File("cut.safetensors");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<ProbeBenchException>(() => SafetensorsHeader.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("past the end of the data section", error.Message);
        Assert.Contains("tensor '", error.Message);
    }

    [Fact]
    public void File_shorter_than_the_length_field_is_rejected()
    {
        using var temp = new TempDirectory();
        var path = temp.File("tiny.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        var error = Assert.Throws<ProbeBenchException>(() => SafetensorsHeader.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("8-byte header length", error.Message);
    }

    [Fact]
    public void Header_length_past_end_of_file_is_reported_as_truncation()
    {
        using var temp = new TempDirectory();
        var path = temp.File("short-header.safetensors");
        var builder = new SafetensorsFileBuilder().AddFloats("w", [2], 1f, 2f);
        builder.Write(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..20]);

        var error = Assert.Throws<ProbeBenchException>(() => SafetensorsHeader.Read(path));
        Assert.Contains("is truncated", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Wrong_magic_such_as_a_zip_is_rejected_by_header_length()
    {
        using var temp = new TempDirectory();
        var path = temp.File("zip.safetensors");
        File.WriteAllBytes(path, [(byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0]);
        var error = Assert.Throws<ProbeBenchException>(() => SafetensorsHeader.Read(path));
        Assert.Contains("not a safetensors file", error.Message);
    }

    [Fact]
    public void Invalid_json_is_rejected()
    {
        using var temp = new TempDirectory();
        var path = temp.File("bad-json.safetensors");
        SafetensorsFileBuilder.WriteRaw(path, "{\"w\": {\"dtype\": \"F32\", ", new byte[8]);
        var error = Assert.Throws<ProbeBenchException>(() => SafetensorsHeader.Read(path));
        Assert.Contains("not valid JSON", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Theory]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,16]}}", "'w'", "past the end")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", "'w'", "end before they begin")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", "'w'", "needs 12")]
    [InlineData("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}}", "'w'", "F8_E4M3")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", "'w'", "shape entry")]
    [InlineData("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", "'w'", "'dtype'")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", "'w'", "data_offsets")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "'a' and 'b'", "overlap")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", "'a'", "twice")]
    [InlineData("{\"__metadata__\":{\"format\":3}}", "'__metadata__'", "not a string")]
    [InlineData("[1,2]", "header", "not a JSON object")]
    public void Bad_header_entries_name_the_key(string json, string key, string reason)
    {
        using var temp = new TempDirectory();
        var path = temp.File("bad.safetensors");
        SafetensorsFileBuilder.WriteRaw(path, json, new byte[8]);
        var error = Assert.Throws<ProbeBenchException>(() => SafetensorsHeader.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(key, error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Missing_file_is_one_clear_error()
    {
        using var temp = new TempDirectory();
        var path = temp.File("absent.safetensors");
        var error = Assert.Throws<ProbeBenchException>(() => SafetensorsHeader.Read(path));
        Assert.Contains(path, error.Message);
    }
}
