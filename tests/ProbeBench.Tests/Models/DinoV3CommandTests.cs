using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Models;

/// <summary>DINOv3 through the real CLI: models, inspect, bench, extract, and the files a user must bring.</summary>
public sealed class DinoV3CommandTests
{
    [Fact]
    public void Models_lists_both_families_with_cost_and_the_files_to_bring()
    {
        var run = CliProcess.Run(["models"]);
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("dinov2_vits14_pretrain.pth", run.StdOut);
        Assert.Contains("dinov3_vits16_pretrain_lvd1689m-08c60483.pth", run.StdOut);
        Assert.Contains("dinov3_vit7b16_pretrain_sat493m-a6675841.pth", run.StdOut);
        Assert.Contains("9.40", run.StdOut);     // ViT-S/16 GFLOP per 224² image
        Assert.Contains("6.72 B", run.StdOut);   // ViT-7B/16 parameters
        Assert.Contains("swiglu64", run.StdOut);
        Assert.Contains("DINOv3 short names: s16", run.StdOut);
        Assert.Contains("license request at https://ai.meta.com/resources/models-and-libraries/dinov3-downloads/", run.StdOut);
        var urls = CliProcess.Run(["models", "--urls"]);
        Assert.Contains("https://dl.fbaipublicfiles.com/dinov2/dinov2_vits14/dinov2_vits14_pretrain.pth", urls.StdOut);
        Assert.Contains("(bring the file: no public URL)", urls.StdOut);
    }

    [SharedFact]
    public void Inspect_recognises_a_dinov3_checkpoint_and_reads_its_heads_from_the_rope_periods()
    {
        var run = CliProcess.Run(["inspect", DinoV3Fixtures.Weights("dinov3_tiny_p16_swiglu"), "--keys"]);
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("DINOv3", run.StdOut);
        Assert.Contains("3 heads (from 4 RoPE periods)", run.StdOut);
        Assert.Contains("ffn swiglu hidden 192, 4 storage tokens, k-masked qkv bias", run.StdOut);
        Assert.Contains("loads strictly: 3 heads", run.StdOut);
        Assert.Contains("local_cls_norm loaded but unused", run.StdOut);
        Assert.Contains("blocks.2.attn.qkv.bias_mask", run.StdOut);
    }

    [Fact]
    public void A_missing_licensed_file_is_one_error_saying_which_file_to_bring_and_where()
    {
        using var dir = new TempDirectory();
        var run = CliProcess.Run(["run", "--model", "dinov3_vitl16_sat493m", "--cache-root", dir.File("cache"), "--data-root", dir.File("data"), "--out", dir.File("out")]);
        Assert.Equal(2, run.ExitCode);
        var error = Assert.Single(run.StdErr.Trim().Split('\n'));
        Assert.Contains("dinov3_vitl16_pretrain_sat493m-eadcf0ff.pth", error);
        Assert.Contains("https://ai.meta.com/resources/models-and-libraries/dinov3-downloads/", error);
        Assert.Contains(Path.Combine(dir.File("cache"), "weights", "dinov3_vitl16_pretrain_sat493m-eadcf0ff.pth"), error);
        Assert.DoesNotContain("   at ", run.All);
        Assert.False(Directory.Exists(dir.File("out")) && Directory.EnumerateFileSystemEntries(dir.File("out")).Any());
    }

    [SharedFact]
    public void A_file_under_an_official_name_whose_sha256_does_not_start_with_its_hash_is_refused()
    {
        using var dir = new TempDirectory();
        var cached = dir.File("cache", "weights", "dinov3_vits16_pretrain_lvd1689m-08c60483.pth");
        Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
        File.Copy(DinoV3Fixtures.Weights("dinov3_tiny_p16"), cached);

        var byName = CliProcess.Run(["inspect", "s16", "--cache-root", dir.File("cache")]);
        Assert.Equal(2, byName.ExitCode);
        Assert.Contains("does not start with 08c60483", byName.StdErr);
        var byPath = CliProcess.Run(["extract", "--model", "s16", "--weights", cached, "--cache-root", dir.File("cache"), "--data-root", dir.File("data")]);
        Assert.Equal(2, byPath.ExitCode);
        Assert.Contains("is not the official dinov3_vits16_pretrain_lvd1689m-08c60483.pth", byPath.StdErr);
        Assert.True(File.Exists(cached), "a refused file is the user's and stays");
    }

    [Fact]
    public void Bench_runs_both_families_side_by_side()
    {
        using var dir = new TempDirectory();
        var run = CliProcess.Run(["bench", "--models", "s16,s", "--resolution", "112", "--batch-sizes", "1", "--warmup", "0", "--repeats", "1",
            "--batch1-repeats", "0", "--out", dir.Path, "--name", "both"]);
        Assert.True(run.ExitCode == 0, run.All);
        var rows = RunFolderReader.Read(Path.Combine(dir.Path, "both")).Rows;
        Assert.Contains(rows, r => r.Model == "dinov3_vits16" && r.ImagesPerSecond > 0 && r.GflopPerImage is > 2.3 and < 2.4); // 49 patches + 5 prefix tokens at 112²
        Assert.Contains(rows, r => r.Model == "dinov2_vits14" && r.ImagesPerSecond > 0);
        var odd = CliProcess.Run(["bench", "--models", "s16", "--resolution", "98"]);
        Assert.Equal(2, odd.ExitCode);
        Assert.Contains("--resolution 98: 98x98 is not a multiple of the patch size 16 of dinov3_vits16", odd.StdErr);
    }
}
