using ProbeBench.Core;
using ProbeBench.Core.Models;
using ProbeBench.Core.Models.DinoV2;
using ProbeBench.Tests.TestSupport;
using ProbeBench.Tests.Weights;

namespace ProbeBench.Tests.Models;

/// <summary>Issue 9, items 4 and 7: hyper-parameters that hang, overflow or silently give NaN features are refused, naming the key.</summary>
public class ConfigLimitTests
{
    // The tiny config with one key set to a raw JSON value (replaced where the config has it, else added).
    private static string Config(TempDirectory dir, string key, string value)
    {
        var pattern = $"\"{key}\": [^,}}]+";
        var json = System.Text.RegularExpressions.Regex.IsMatch(HostileCheckpoints.TinyConfigJson, pattern)
            ? System.Text.RegularExpressions.Regex.Replace(HostileCheckpoints.TinyConfigJson, pattern, $"\"{key}\": {value}")
            : HostileCheckpoints.TinyConfigJson.TrimEnd().TrimEnd('}') + $", \"{key}\": {value} }}";
        var path = dir.File($"{key}.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Theory]
    [InlineData("num_hidden_layers", "2000000000", "key 'num_hidden_layers' is 2000000000; ProbeBench accepts 1 to 256")]
    [InlineData("num_hidden_layers", "99999999999", "key 'num_hidden_layers' is 99999999999; ProbeBench accepts 1 to 256")]
    [InlineData("num_hidden_layers", "0", "key 'num_hidden_layers' is 0; ProbeBench accepts 1 to 256")]
    [InlineData("num_hidden_layers", "2.5", "key 'num_hidden_layers' must be an integer")]
    [InlineData("hidden_size", "1000000", "key 'hidden_size' is 1000000; ProbeBench accepts 1 to 16384")]
    [InlineData("num_attention_heads", "5000", "key 'num_attention_heads' is 5000; ProbeBench accepts 1 to 1024")]
    [InlineData("patch_size", "0", "key 'patch_size' is 0; ProbeBench accepts 1 to 256")]
    [InlineData("image_size", "1000000", "key 'image_size' is 1000000; ProbeBench accepts 1 to 8192")]
    [InlineData("num_channels", "100000", "key 'num_channels' is 100000; ProbeBench accepts 1 to 64")]
    [InlineData("mlp_ratio", "1e9", "key 'mlp_ratio' is 1000000000; ProbeBench accepts a number above 0 and at most 64")]
    [InlineData("mlp_ratio", "1e400", "key 'mlp_ratio' is Infinity; ProbeBench accepts a number above 0 and at most 64")]
    [InlineData("layer_norm_eps", "-1", "key 'layer_norm_eps' is -1; ProbeBench accepts a number above 0 and at most 1")]
    [InlineData("layer_norm_eps", "0", "key 'layer_norm_eps' is 0; ProbeBench accepts a number above 0 and at most 1")]
    public void A_config_value_beyond_the_limits_is_refused_naming_the_key(string key, string value, string expected)
    {
        using var dir = new TempDirectory();
        var path = Config(dir, key, value);
        var error = Assert.Throws<ProbeBenchException>(() => BackboneFamilies.ReadConfig(path));
        Assert.Equal($"{path}: {expected}.", error.Message);
    }

    [Fact]
    public void Register_tokens_beyond_the_limit_are_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("reg.json");
        File.WriteAllText(path, HostileCheckpoints.TinyConfigJson.Replace("\"dinov2\"", "\"dinov2_with_registers\"").TrimEnd().TrimEnd('}') + ", \"num_register_tokens\": 100000 }");
        Assert.Contains("key 'num_register_tokens' is 100000; ProbeBench accepts 0 to 1024", Assert.Throws<ProbeBenchException>(() => BackboneFamilies.ReadConfig(path)).Message);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_layer_norm_eps_that_gives_nan_features_is_refused_from_any_source(double eps)
    {
        var error = Assert.Throws<ProbeBenchException>(() => (HostileCheckpoints.Tiny with { LayerNormEps = eps }).Validated("here"));
        Assert.StartsWith("here: layer norm eps is ", error.Message);
    }

    [Fact]
    public void A_model_beyond_the_parameter_limit_is_refused_before_anything_is_built()
    {
        var huge = new DinoV2Config(EmbedDim: 16384, Depth: 256, NumHeads: 128, MlpRatio: 64);
        var error = Assert.Throws<ProbeBenchException>(() => huge.Validated("huge"));
        Assert.Contains("parameters; ProbeBench builds at most 100,000,000,000", error.Message);
    }

    [Fact]
    public void A_random_backbone_larger_than_this_machine_is_refused_before_it_is_allocated()
    {
        // 8192 wide: about 0.8 billion parameters per 10 blocks. Grow the depth until float32 weights exceed this machine's
        // memory; on a machine too large for any depth within the limits, the parameter limit refuses it instead.
        var host = Core.Runtime.MemoryBudget.HostBytes();
        var depth = (int)Math.Min(ArchitectureLimits.MaxDepth, host / (4L * 12 * 8192 * 8192) + 2);
        var config = new DinoV2Config(EmbedDim: 8192, Depth: depth, NumHeads: 64);
        var error = Assert.Throws<ProbeBenchException>(() => BackboneFamilies.BuildRandom(config.Validated("big"), 0, source: "random big"));
        Assert.True(error.Message.Contains("more than the") || error.Message.Contains("ProbeBench builds at most"), error.Message);
    }

    [Fact]
    public void A_config_with_two_billion_blocks_fails_through_the_cli_without_hanging()
    {
        using var dir = new TempDirectory();
        var weights = dir.File("tiny.safetensors");
        HostileCheckpoints.WriteSafetensors(weights, HostileCheckpoints.TinyShapes());
        var config = Config(dir, "num_hidden_layers", "2000000000");

        var run = CliProcess.Run(["run", "--model", "tiny", "--weights", weights, "--model-config", config, "--cache-root", dir.File("cache"),
            "--data-root", dir.File("data"), "--out", dir.File("out")], timeoutSeconds: 120);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"error: {config}: key 'num_hidden_layers' is 2000000000; ProbeBench accepts 1 to 256.", run.StdErr.Trim());
    }
}
