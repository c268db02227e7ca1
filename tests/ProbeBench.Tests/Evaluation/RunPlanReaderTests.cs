using ProbeBench.Core;
using ProbeBench.Core.Evaluation;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Evaluation;

public class RunPlanReaderTests
{
    [Fact]
    public void Yaml_and_json_with_the_same_content_give_the_same_plan()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("plan.yaml"), """
            models:
              - dinov2_vitb14
              - name: tiny
                weights: /w/weights.pth
                config: /w/config.json
            datasets: [cifar100, { name: imagefolder, path: /data/pets }]
            layers: [cls@last, every-block]
            heads: [knn]
            device: cuda
            precision: fp16
            batchSize: 256
            limitTrain: 500
            seed: 3
            knnK: [10, 20]
            """);
        File.WriteAllText(dir.File("plan.json"), """
            { "models": ["dinov2_vitb14", {"name": "tiny", "weights": "/w/weights.pth", "config": "/w/config.json"}],
              "datasets": ["cifar100", {"name": "imagefolder", "path": "/data/pets"}],
              "layers": ["cls@last", "every-block"], "heads": ["knn"], "device": "cuda", "precision": "fp16",
              "batchSize": 256, "limitTrain": 500, "seed": 3, "knnK": [10, 20], }
            """);

        var yaml = RunPlanReader.Read(dir.File("plan.yaml"));
        var json = RunPlanReader.Read(dir.File("plan.json"));

        foreach (var plan in new[] { yaml, json })
        {
            Assert.Equal([new ModelSpec("dinov2_vitb14"), new ModelSpec("tiny", "/w/weights.pth", "/w/config.json")], plan.Models);
            Assert.Equal([new DatasetSpec("cifar100"), new DatasetSpec("imagefolder", "/data/pets")], plan.Datasets);
            Assert.Equal(["cls@last", "every-block"], plan.Layers);
            Assert.Equal(["knn"], plan.Heads);
            Assert.Equal(("cuda", "fp16", 256, 500, 3), (plan.Device, plan.Precision, plan.BatchSize, plan.LimitTrain, plan.Seed));
            Assert.Equal([10, 20], plan.KnnK);
            Assert.Null(plan.LimitTest);
        }
    }

    [Fact]
    public void An_empty_config_is_the_built_in_default()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("empty.yaml"), "");
        var plan = RunPlanReader.Read(dir.File("empty.yaml"));
        Assert.Equal(new RunPlan().Layers, plan.Layers);
        Assert.Equal("dinov2_vits14", Assert.Single(plan.Models).Name);
        Assert.Equal(["logreg", "knn"], plan.Heads);
    }

    [Theory]
    [InlineData("heads: [logreg, svm]", "$.heads[1]: 'svm' is not one of logreg, knn, linear")]
    [InlineData("batchsize: 3", "$.batchsize: unknown field; did you mean 'batchSize'?")]
    [InlineData("batchSize: -4", "$.batchSize: expected a positive integer, got -4")]
    [InlineData("batchSize: many", "$.batchSize: expected an integer")]
    [InlineData("models: [{ weights: a.pth }]", "$.models[0].name: is required")]
    [InlineData("models: [{ name: a, weight: a.pth }]", "$.models[0].weight: unknown field")]
    [InlineData("layers: []", "$.layers: the list is empty")]
    [InlineData("layers: cls@last", "$.layers: expected a list")]
    [InlineData("precision: fp8", "$.precision: 'fp8' is not one of fp32, fp16, bf16")]
    [InlineData("- a\n- b", "$: the config must be an object")]
    public void Bad_fields_are_named_with_their_path(string yaml, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.File("plan.yml");
        File.WriteAllText(path, yaml);
        var e = Assert.Throws<ProbeBenchException>(() => RunPlanReader.Read(path));
        Assert.Contains($"{path}: {expected}", e.Message);
    }

    [Fact]
    public void Malformed_files_fail_with_one_clear_error()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("bad.json"), "{ \"heads\": [ ");
        Assert.Contains("is not valid JSON", Assert.Throws<ProbeBenchException>(() => RunPlanReader.Read(dir.File("bad.json"))).Message);
        File.WriteAllText(dir.File("bad.yaml"), "heads: [a, b\nx: : :");
        Assert.Contains("is not valid YAML", Assert.Throws<ProbeBenchException>(() => RunPlanReader.Read(dir.File("bad.yaml"))).Message);
        File.WriteAllText(dir.File("plan.toml"), "");
        Assert.Contains("must end in .json, .yaml or .yml", Assert.Throws<ProbeBenchException>(() => RunPlanReader.Read(dir.File("plan.toml"))).Message);
        Assert.Contains("does not exist", Assert.Throws<ProbeBenchException>(() => RunPlanReader.Read(dir.File("missing.json"))).Message);
    }
}
