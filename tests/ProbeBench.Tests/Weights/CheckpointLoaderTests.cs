using ProbeBench.Core;
using ProbeBench.Core.IO;
using ProbeBench.Core.Models;
using ProbeBench.Core.Weights;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Weights;

public sealed class CheckpointLoaderTests
{
    private static string Fixture(params string[] parts) => SharedFixtures.Path(["fixtures", "dinov2", "vit_tiny_p14", .. parts]);

    [SharedFact]
    public async Task A_transformers_folder_whose_weights_or_config_is_a_fifo_is_refused_instead_of_read()
    {
        using var temp = new TempDirectory();
        foreach (var (fifo, real) in new[] { ("model.safetensors", "config.json"), ("config.json", "model.safetensors") })
        {
            var folder = Directory.CreateDirectory(temp.File(fifo)).FullName;
            File.Copy(Fixture("hf", real), Path.Combine(folder, real));
            Fifo.Make(Path.Combine(folder, fifo));
            var error = await Assert.ThrowsAsync<ProbeBenchException>(() => Task.Run(() => CheckpointLoader.Load(folder)).WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains(Path.Combine(folder, fifo), error.Message);
        }
    }

    [SharedFact]
    public void Detects_each_format_by_content_not_name()
    {
        using var temp = new TempDirectory();
        var pthNamedSafetensors = temp.File("weights.safetensors");
        File.Copy(Fixture("weights.pth"), pthNamedSafetensors);
        var safetensorsNamedPth = temp.File("weights.pth");
        File.Copy(Fixture("hf", "model.safetensors"), safetensorsNamedPth);

        Assert.Equal(CheckpointFormat.TorchZip, CheckpointLoader.Detect(pthNamedSafetensors));
        Assert.Equal(CheckpointFormat.Safetensors, CheckpointLoader.Detect(safetensorsNamedPth));
        using var fromZip = CheckpointLoader.Load(pthNamedSafetensors);
        using var fromSafetensors = BackboneCheckpoints.Read(safetensorsNamedPth);
        Assert.Equal(CheckpointFormat.TorchZip, fromZip.Info.Format);
        // A lone safetensors file in transformers' layout is mapped to official keys too (by the family that recognises it).
        Assert.Equal(CheckpointFormat.HuggingFace, fromSafetensors.Info.Format);
        Assert.Null(fromSafetensors.Info.ConfigPath);
        Assert.Equal(fromZip.Keys.Order(), fromSafetensors.Keys.Order());
    }

    [SharedFact]
    public void Without_a_family_layout_keys_stay_as_stored()
    {
        // The weights stage knows no backbone family: renaming transformers keys is the family's job.
        using var raw = CheckpointLoader.Load(Fixture("hf", "model.safetensors"));
        Assert.Equal(CheckpointFormat.Safetensors, raw.Info.Format);
        Assert.Contains("embeddings.patch_embeddings.projection.weight", raw.Keys);
        Assert.DoesNotContain("patch_embed.proj.weight", raw.Keys);
    }

    [SharedFact]
    public void Reports_the_sha256_of_the_loaded_file()
    {
        using var state = CheckpointLoader.Load(Fixture("hf"));
        Assert.Equal(FileHashing.Sha256(Fixture("hf", "model.safetensors")), state.Info.Sha256);
        Assert.Equal(Fixture("hf", "model.safetensors"), state.Info.Path);
        Assert.Matches("^[0-9a-f]{64}$", state.Info.Sha256);
    }

    [Fact]
    public void Official_layout_safetensors_is_read_as_it_is()
    {
        using var temp = new TempDirectory();
        var path = temp.File("official.safetensors");
        new SafetensorsFileBuilder().AddFloats("cls_token", [1, 1, 2], 1, 2).Write(path);
        using var state = CheckpointLoader.Load(path);
        Assert.Equal(CheckpointFormat.Safetensors, state.Info.Format);
        Assert.Equal(["cls_token"], state.Keys);
    }

    [Theory]
    [InlineData(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0 }, "neither a torch.save zip nor a safetensors file")]
    [InlineData(new byte[] { 0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20 }, "legacy")]
    [InlineData(new byte[] { }, "neither")]
    public void Wrong_magic_is_one_clear_error(byte[] content, string reason)
    {
        using var temp = new TempDirectory();
        var path = temp.File("weird.pth");
        File.WriteAllBytes(path, content);
        var error = Assert.Throws<ProbeBenchException>(() => CheckpointLoader.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Zip_magic_with_garbage_after_it_is_a_corrupt_zip()
    {
        using var temp = new TempDirectory();
        var path = temp.File("garbage.pth");
        var bytes = new byte[4096];
        new Random(3).NextBytes(bytes);
        "PK\u0003\u0004"u8.CopyTo(bytes);
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<ProbeBenchException>(() => CheckpointLoader.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("zip", error.Message);
    }

    [Fact]
    public void Folder_without_the_transformers_files_lists_what_is_missing()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("config.json"), "{}");
        var error = Assert.Throws<ProbeBenchException>(() => CheckpointLoader.Load(temp.Path));
        Assert.Contains("model.safetensors", error.Message);
        Assert.DoesNotContain("config.json and", error.Message);
    }

    [Fact]
    public void Missing_path_is_one_clear_error()
    {
        using var temp = new TempDirectory();
        var error = Assert.Throws<ProbeBenchException>(() => CheckpointLoader.Load(temp.File("nope.pth")));
        Assert.Contains("does not exist", error.Message);
    }
}
