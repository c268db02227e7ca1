using ProbeBench.Core.Results;

namespace ProbeBench.Tests.Results;

internal static class ResultsTestData
{
    public static List<ResultRow> Rows() =>
    [
        .. Enumerable.Range(0, 4).Select(b => new ResultRow
        {
            Model = "tiny", Parameters = 200_000, Dataset = "cifar10", LayerChoice = $"cls@{b}", BlockIndex = b, Head = "logreg", HyperParameter = "C=1",
            TrainRows = 500, TestRows = 400, Top1 = 0.70 + 0.03 * b, Top1CiLow = 0.66 + 0.03 * b, Top1CiHigh = 0.74 + 0.03 * b, Top5 = 0.95,
            BalancedAccuracy = 0.69 + 0.03 * b, LogLoss = 0.9, HeadTrainSeconds = 1.5, HeadSamplesPerSecond = 1e5, HeadLatencyMs = 0.01,
            BatchSize = 32, Precision = "fp32", Device = "cpu", Recipe = "resize-224",
        }),
        new ResultRow
        {
            Kind = "extraction", Model = "tiny", Dataset = "cifar10", LayerChoice = "(all)", HyperParameter = "train", TestRows = 500,
            ImagesPerSecond = 200, ImagesPerSecondMin = 180, ImagesPerSecondMax = 220, Repeats = 16, BackboneImagesPerSecond = 230,
            LatencyP50Ms = 150, LatencyP95Ms = 170, LatencyP99Ms = 180, Batch1LatencyMs = 5, BatchSize = 32, Precision = "fp32", Device = "cpu", Recipe = "resize-224",
        },
        .. new[] { 8, 16, 32 }.Select(batch => new ResultRow
        {
            Kind = "speed", Model = "dinov2_vits14", LayerChoice = "cls@last4", HyperParameter = "random weights", BatchSize = batch, Precision = "fp32",
            Device = "cpu", Resolution = 224, ImagesPerSecond = 10 + batch / 8.0, ImagesPerSecondMin = 9 + batch / 8.0, ImagesPerSecondMax = 11 + batch / 8.0,
            Repeats = 10, LatencyP50Ms = 120, LatencyP95Ms = 130, Batch1LatencyMs = 120, GflopPerImage = 12.25,
        }),
    ];

    public static RunManifest Manifest(string name) => new()
    {
        RunName = name,
        Config = new System.Text.Json.Nodes.JsonObject { ["test"] = true },
        Environment = new RunEnvironment("1.0", "abc", "linux", ".NET", "cpu", 2, "0.107", "/lib", false, null, null),
        StartedUtc = DateTimeOffset.UnixEpoch,
        FinishedUtc = DateTimeOffset.UnixEpoch.AddSeconds(5),
    };
}
