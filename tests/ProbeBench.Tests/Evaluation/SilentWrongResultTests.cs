using ProbeBench.Tests.TestSupport;
using ProbeBench.Tests.Weights;

namespace ProbeBench.Tests.Evaluation;

/// <summary>Issue 9, item 7, through the real CLI: inputs that used to give a wrong result marked as right now give one error line and no result.</summary>
public class SilentWrongResultTests
{
    [Theory]
    [InlineData(",")]
    [InlineData(" , ,")]
    public void Layers_naming_no_layer_choice_are_refused_and_no_run_is_written(string layers)
    {
        using var dir = new TempDirectory();
        HostileCheckpoints.WriteSafetensors(dir.File("tiny.safetensors"), HostileCheckpoints.TinyShapes());
        File.WriteAllText(dir.File("config.json"), HostileCheckpoints.TinyConfigJson);

        var run = CliProcess.Run(["run", "--model", "tiny", "--weights", dir.File("tiny.safetensors"), "--model-config", dir.File("config.json"),
            "--layers", layers, "--cache-root", dir.File("cache"), "--data-root", dir.File("data"), "--out", dir.File("out")]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: --layers: the list is empty.", run.StdErr.Trim());
        Assert.False(Directory.Exists(dir.File("out")) && Directory.EnumerateFileSystemEntries(dir.File("out")).Any());
    }

    [Fact]
    public void Extract_with_no_layer_choice_is_refused_instead_of_reporting_success()
    {
        using var dir = new TempDirectory();
        HostileCheckpoints.WriteSafetensors(dir.File("tiny.safetensors"), HostileCheckpoints.TinyShapes());
        File.WriteAllText(dir.File("config.json"), HostileCheckpoints.TinyConfigJson);

        var run = CliProcess.Run(["extract", "--model", "tiny", "--weights", dir.File("tiny.safetensors"), "--model-config", dir.File("config.json"),
            "--layers", ",", "--cache-root", dir.File("cache"), "--data-root", dir.File("data")]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: --layers: the list is empty.", run.StdErr.Trim());
    }

    [Fact]
    public void A_negative_layer_norm_eps_is_refused_before_any_feature_is_computed_or_cached()
    {
        using var dir = new TempDirectory();
        HostileCheckpoints.WriteSafetensors(dir.File("tiny.safetensors"), HostileCheckpoints.TinyShapes());
        var config = dir.File("config.json");
        File.WriteAllText(config, HostileCheckpoints.TinyConfigJson.Replace("1e-6", "-1"));

        var run = CliProcess.Run(["extract", "--model", "tiny", "--weights", dir.File("tiny.safetensors"), "--model-config", config,
            "--cache-root", dir.File("cache"), "--data-root", dir.File("data")]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: {config}: key 'layer_norm_eps' is -1; ProbeBench accepts a number above 0 and at most 1.", run.StdErr.Trim());
        Assert.False(Directory.Exists(dir.File("cache", "features")));
    }
}
