using System.Text.RegularExpressions;
using ProbeBench.Cli.Commands;
using ProbeBench.Core;
using ProbeBench.Core.Evaluation;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Evaluation;

/// <summary>RunPlan is the one plan schema: files bind to it, each flag maps to one of its fields, the README shows all of them.</summary>
public sealed class PlanSchemaTests
{
    [Fact]
    public void Every_plan_field_has_a_run_flag_and_every_plan_flag_a_field()
    {
        var flags = new PlanFlags().ByField;
        Assert.Equal(RunPlanSchema.Names.Order(), flags.Keys.Order());
        var help = CliProcess.Run(["run", "--help"]);
        Assert.All(flags.Values, flag => Assert.Contains(flag.Name, help.StdOut));
    }

    [Fact]
    public void The_readme_plan_section_shows_every_field_and_reads_as_a_plan()
    {
        var readme = File.ReadAllText(Path.Combine(SharedFixtures.RepositoryRoot, "README.md"));
        var start = readme.IndexOf("```yaml", readme.IndexOf("probebench run --config plan.yaml", StringComparison.Ordinal), StringComparison.Ordinal);
        var yaml = readme[(start + "```yaml".Length)..readme.IndexOf("```", start + 7, StringComparison.Ordinal)];
        var keys = Regex.Matches(yaml, @"^(\w+):", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(RunPlanSchema.Names, keys);

        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("plan.yaml"), yaml);
        var plan = RunPlanReader.Read(dir.File("plan.yaml"));
        Assert.Equal("mine", plan.Models[1].Name);
    }

    [Fact]
    public void The_binder_reads_every_field_from_a_file()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("plan.yaml"), """
            models: [s, { name: mine, weights: w.pth, config: c.json }]
            datasets: [cifar100, { name: imagefolder, path: /data/x }]
            layers: [cls@last, "patch@0,1"]
            heads: [knn]
            device: cuda:1
            precision: bf16
            batchSize: 8
            recipe: resize-224
            limitTrain: 10
            limitTest: 5
            seed: -3
            out: o
            dataRoot: d
            cacheRoot: c
            logRegGrid: 0.5,2
            knnK: [3]
            bootstrapSamples: 20
            """);
        var plan = RunPlanReader.Read(dir.File("plan.yaml"));
        Assert.Equal(new RunPlan
        {
            Models = plan.Models, Datasets = plan.Datasets, Layers = plan.Layers, Heads = plan.Heads, KnnK = plan.KnnK,
            Device = "cuda:1", Precision = "bf16", BatchSize = 8, Recipe = "resize-224", LimitTrain = 10, LimitTest = 5, Seed = -3,
            Out = "o", DataRoot = "d", CacheRoot = "c", LogRegGrid = "0.5,2", BootstrapSamples = 20,
        }, plan);
        Assert.Equal([new ModelSpec("s"), new ModelSpec("mine", "w.pth", "c.json")], plan.Models);
        Assert.Equal([new DatasetSpec("cifar100"), new DatasetSpec("imagefolder", "/data/x")], plan.Datasets);
        Assert.Equal(["cls@last", "patch@0,1"], plan.Layers);
        Assert.Equal([3], plan.KnnK);
    }

    [Theory]
    [InlineData("knnK: [0]", "$.knnK[0]: expected a positive integer, got 0")]
    [InlineData("logRegGrid: 1,x", "$.logRegGrid: 'x' is not a positive number")]
    [InlineData("logRegGrid: 1,1e-40", "$.logRegGrid: C = 1e-40 is outside 1e-12 to 1e30")]
    [InlineData("device: gpu", "$.device: 'gpu' is not a device")]
    [InlineData("recipe: sharpen", "$.recipe: sharpen is not known")]
    [InlineData("layers: [cls@lst]", "$.layers[0]: Layer choice 'cls@lst' is not recognised")]
    [InlineData("bootstrapSamples: 0", "$.bootstrapSamples: expected a positive integer, got 0")]
    [InlineData("seed: 1\nseed: 2", "(line 2, column 1): Duplicate key seed")]
    public void File_values_go_through_the_rules_and_errors_name_the_path(string yaml, string expected)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("plan.yaml"), yaml);
        var e = Assert.Throws<ProbeBenchException>(() => RunPlanReader.Read(dir.File("plan.yaml")));
        Assert.Contains(expected, e.Message);
        Assert.Contains(dir.File("plan.yaml"), e.Message);
    }

    [Theory]
    [InlineData("heads: ", "[", "]")]
    [InlineData("heads: ", "{a: ", "}")]
    [InlineData("out: it's\nheads: ", "[", "]")]
    [InlineData("out: say \"hi\nheads: ", "[", "]")]
    [InlineData("models:\n", "- ", "x")]
    public void A_plan_nested_too_deep_is_refused_before_the_yaml_parser_recurses(string prefix, string open, string close)
    {
        using var dir = new TempDirectory();
        var tail = close == "x" ? close : string.Concat(Enumerable.Repeat(close, 50_000));
        File.WriteAllText(dir.File("deep.yaml"), prefix + string.Concat(Enumerable.Repeat(open, 50_000)) + tail);
        var error = Assert.Throws<ProbeBenchException>(() => RunPlanReader.Read(dir.File("deep.yaml")));
        Assert.Contains("nest deeper than 64 levels", error.Message);

        // Brackets in quotes and comments, and a plan's own nesting, are fine.
        File.WriteAllText(dir.File("fine.yaml"), "out: 'a[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[['  # [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\nheads: [knn, logreg]\n");
        Assert.Equal(["knn", "logreg"], RunPlanReader.Read(dir.File("fine.yaml")).Heads);
    }

    [Theory]
    [InlineData(new[] { "--knn-k", "5,0" }, "--knn-k: expected a positive integer, got 0")]
    [InlineData(new[] { "--batch-size", "0" }, "--batch-size: expected a positive integer, got 0")]
    [InlineData(new[] { "--layers", "cls@lst" }, "--layers: Layer choice 'cls@lst' is not recognised")]
    [InlineData(new[] { "--logreg-grid", "x" }, "--logreg-grid: 'x' is not a positive number")]
    [InlineData(new[] { "--logreg-grid", "1e-320" }, "--logreg-grid: C = 1e-320 is outside 1e-12 to 1e30")]
    [InlineData(new[] { "--bootstrap-samples", "-1" }, "--bootstrap-samples: expected a positive integer, got -1")]
    public void Flag_values_go_through_the_same_rules_and_errors_name_the_flag(string[] flags, string expected)
    {
        using var dir = new TempDirectory();
        var run = CliProcess.Run(["run", .. flags, "--out", dir.File("out"), "--cache-root", dir.File("cache")]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"error: {expected}", run.StdErr);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void A_yaml_plan_whose_aliases_expand_exponentially_is_refused()
    {
        using var dir = new TempDirectory();
        var lines = new List<string> { "a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i < 12; i++) lines.Add($"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]");
        File.WriteAllText(dir.File("bomb.yaml"), string.Join('\n', lines));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.Throws<ProbeBenchException>(() => RunPlanReader.Read(dir.File("bomb.yaml")));
        Assert.Contains("expands to more than", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_json_plan_with_a_duplicate_key_is_refused()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("plan.json"), """{ "seed": 1, "seed": 2 }""");
        var e = Assert.Throws<ProbeBenchException>(() => RunPlanReader.Read(dir.File("plan.json")));
        Assert.Contains("sets 'seed' twice; each setting may appear once.", e.Message);
        Assert.DoesNotContain("Parameter", e.Message);
    }
}
