using ProbeBench.Core.Data;
using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Results;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Evaluation.Sweeps;

/// <summary>A small sweep: the tiny fixture backbone on a synthetic CIFAR-10, three layer choices, two heads.</summary>
internal static class SweepFixture
{
    public static RunPlan Plan(TempDirectory dir, string cache = "cache") => new()
    {
        Models = [new ModelSpec("tiny", SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14", "weights.pth"),
            SharedFixtures.Path("fixtures", "dinov2", "vit_tiny_p14", "hf", "config.json"))],
        Datasets = [new DatasetSpec("cifar10")],
        Layers = ["cls@last", "cls@1", "avgpool@2"],
        Heads = ["logreg", "knn"],
        BatchSize = 16,
        Device = "cpu",
        LogRegGrid = "0.1,1",
        KnnK = [5],
        BootstrapSamples = 50,
        DataRoot = dir.File("data"),
        CacheRoot = dir.File(cache),
        Out = dir.File("results"),
    };

    public static void Data(TempDirectory dir, int trainPerFile = 12, int test = 30) =>
        SyntheticCifarWriter.Write(dir.File("data"), CifarLayout.Cifar10, trainPerFile, test, seed: 5);

    public static string WritePlan(TempDirectory dir, RunPlan plan)
    {
        var path = dir.File("plan.json");
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(plan, new System.Text.Json.JsonSerializerOptions
        {
            PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        }));
        return path;
    }

    public static List<(string, string, string, string, string, double?, double?, double?)> Accuracies(IEnumerable<ResultRow> rows) =>
        rows.Where(r => r.Kind == "accuracy").Select(r => (r.Dataset, r.LayerChoice, r.Head, r.Setting, r.Chosen, r.Top1, r.Top1CiLow, r.Top5)).ToList();
}
