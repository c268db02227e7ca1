using ProbeBench.Core;
using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Models;
using ProbeBench.Tests.TestSupport;
using ProbeBench.Tests.Weights;

namespace ProbeBench.Tests.Evaluation;

/// <summary>Issue 9, item 5: plan settings that overflowed or aborted are refused against documented limits, before any work.</summary>
public class ResourceLimitTests
{
    private static string OneErrorLine(CliProcess.Outcome outcome)
    {
        Assert.Equal(2, outcome.ExitCode);
        Assert.DoesNotContain("   at ", outcome.All);
        return Assert.Single(outcome.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("batchSize", 400_000_000, "400000000 is beyond the limit of 16384")]
    [InlineData("batchSize", 16385, "16385 is beyond the limit of 16384")]
    [InlineData("bootstrapSamples", int.MaxValue, "2147483647 is beyond the limit of 100000")]
    public void Settings_beyond_their_limit_are_refused_by_the_plan_rules(string field, int value, string expected)
    {
        Assert.Equal(expected, RunPlanRules.Check(field, value));
        Assert.Null(RunPlanRules.Check(field, field == "batchSize" ? RunPlanRules.MaxBatchSize : RunPlanRules.MaxBootstrapSamples));
    }

    [Theory]
    [InlineData("custom:size=100000", "custom:size=100000: 100000 pixels is beyond the limit of 4096 per side")]
    [InlineData("custom:size=224,crop=5000", "custom:size=224,crop=5000: 5000 pixels is beyond the limit of 4096 per side")]
    public void Recipe_sizes_beyond_the_limit_are_refused(string recipe, string expected) =>
        Assert.Equal(expected, RunPlanRules.Check("recipe", recipe));

    [Fact]
    public void Through_the_cli_and_a_plan_file_each_limit_is_one_line_naming_the_option_or_key()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("plan.json"), """{ "bootstrapSamples": 2147483647 }""");
        string[] Common(params string[] args) => ["run", .. args, "--cache-root", dir.File("cache"), "--data-root", dir.File("data"), "--out", dir.File("out")];

        Assert.Equal("error: --batch-size: 400000000 is beyond the limit of 16384.", OneErrorLine(CliProcess.Run(Common("--batch-size", "400000000"))));
        Assert.Equal("error: --recipe: custom:size=100000: 100000 pixels is beyond the limit of 4096 per side.",
            OneErrorLine(CliProcess.Run(Common("--recipe", "custom:size=100000"))));
        Assert.Equal($"error: {dir.File("plan.json")}: $.bootstrapSamples: 2147483647 is beyond the limit of 100000.",
            OneErrorLine(CliProcess.Run(Common("--config", dir.File("plan.json")))));
        Assert.False(Directory.Exists(dir.File("cache")));
    }

    private static RunPlan RandomTinyPlan(TempDirectory dir)
    {
        File.WriteAllText(dir.File("config.json"), HostileCheckpoints.TinyConfigJson);
        return new RunPlan
        {
            Models = [new ModelSpec("tiny", BackboneLoader.RandomWeights, dir.File("config.json"))],
            Layers = ["cls@last"], Heads = ["knn"], CacheRoot = dir.File("cache"), DataRoot = dir.File("data"), Out = dir.File("out"),
        };
    }

    [Fact]
    public void A_batch_that_cannot_fit_at_the_recipe_size_is_refused_when_the_plan_is_expanded()
    {
        using var dir = new TempDirectory();
        var plan = RandomTinyPlan(dir) with { BatchSize = RunPlanRules.MaxBatchSize, Recipe = "custom:size=4096" };
        // 16384 inputs of 3 × 4096² floats are 3 PiB on their own: no machine holds that.
        var error = Assert.Throws<ProbeBenchException>(() => PlanExpander.Expand(plan));
        Assert.StartsWith("--batch-size (plan batchSize) 16384: extracting tiny at 4096x4096 would need about ", error.Message);
        Assert.Contains("more than the", error.Message);

        Assert.NotEmpty(PlanExpander.Expand(plan with { BatchSize = 8, Recipe = "custom:size=224" }).Units);
    }

    [Fact]
    public void Bench_refuses_an_impossible_grid_point_before_measuring_any()
    {
        var huge = CliProcess.Run(["bench", "--models", "s", "--batch-sizes", "1,16384", "--resolution", "4088", "--repeats", "1"]);
        var line = OneErrorLine(huge);
        Assert.StartsWith("error: --batch-sizes 16384: extracting dinov2_vits14 at 4088x4088 would need about ", line);
        Assert.DoesNotContain("img/s", huge.StdOut);
        Assert.Contains("--resolution 100002: 100002 px is beyond the limit of 4096",
            OneErrorLine(CliProcess.Run(["bench", "--models", "s", "--resolution", "100002", "--repeats", "1"])));
    }

    [Fact]
    public void The_memory_estimate_lets_ordinary_runs_through()
    {
        // ViT-g/14, batch 64 at 224 px in fp32 with the linear-eval choices fits a 16 GiB accelerator; so must the estimate
        // (7.7 GiB; the floor keeps it from shrinking to nothing: the weights alone are 4.5 GB).
        var g = BackboneFamilies.GetVariant("dinov2_vitg14").Config;
        var choices = LayerChoiceParser.ParseAll(["cls@last", "cls+avgpool@last4"], g.Depth);
        var bytes = ExtractionMemory.EstimateBytes(g, BackboneFamilies.Of(g).Parameters(g), 64, 224, 224, 4, choices);
        Assert.InRange(bytes, 4.5e9, 16.0 * (1L << 30));
    }

    [Theory]
    [InlineData(64, 384)]
    [InlineData(64, 7680)]
    [InlineData(16384, 7680)]
    [InlineData(1024, 1371 * 1536 * 40)]
    [InlineData(16384, int.MaxValue)]
    public void Cache_chunks_stay_within_one_buffer_whatever_the_batch_and_width(int batch, long dim)
    {
        var rows = ExtractionMemory.CacheChunkRows(batch, dim);
        Assert.InRange(rows, 1, Math.Max(256, 4 * batch));
        Assert.True(rows == 1 || rows * dim <= ExtractionMemory.MaxChunkValues, $"{rows} rows × {dim}");
        // Ordinary widths keep the chunk size every existing cache entry was written with (resume needs it).
        if (dim * Math.Max(256, 4L * batch) <= ExtractionMemory.MaxChunkValues) Assert.Equal(Math.Max(256, 4 * batch), rows);
    }
}
