using ProbeBench.Core.Results;

namespace ProbeBench.Tests.Results;

internal static class ResultsTestData
{
    public const int TestSamples = 400;

    public static readonly int[] Labels = Enumerable.Range(0, TestSamples).Select(i => i % 10).ToArray();

    /// <summary>Predictions that are right for exactly <paramref name="correct"/> samples (the first ones).</summary>
    public static int[] Predictions(int correct) => Labels.Select((l, i) => i < correct ? l : (l + 1) % 10).ToArray();

    /// <summary>An accuracy row whose top-1, interval and predictions agree.</summary>
    public static ResultRow Accuracy(int block, int correct, string head = "logreg", string chosen = "C=1")
    {
        var top1 = correct / (double)TestSamples;
        return new ResultRow
        {
            Model = "tiny", Family = "dinov2", Parameters = 200_000, CheckpointSha256 = "sha-tiny", Dataset = "cifar10", DatasetFingerprint = "fp",
            LayerChoice = $"cls@{block}", BlockIndex = block, Head = head, Setting = head == "logreg" ? "C grid coarse (8 values)" : "k=20",
            Chosen = head == "logreg" ? chosen : "", Primary = true,
            TrainRows = 500, TestRows = TestSamples, Classes = 10, Top1 = top1, Top1CiLow = top1 - 0.04, Top1CiHigh = top1 + 0.04, Top5 = 0.95,
            BalancedAccuracy = top1 - 0.01, LogLoss = 0.9, TestSamples = "samples-1", Predictions = Predictions(correct), TestLabels = Labels,
            HeadTrainSeconds = 1.5, HeadInferSeconds = 0.004, HeadSamplesPerSecond = 1e5, HeadLatencyMs = 0.01,
            BatchSize = 32, Precision = "fp32", Device = "cpu", Recipe = "resize-224", Seed = 0, BootstrapSamples = 200,
        };
    }

    /// <summary>Timings around <paramref name="medianMs"/> with a relative spread of <paramref name="noise"/> (log-normal, seeded).</summary>
    public static List<double> Timings(double medianMs, double noise, int count = 20, int seed = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return medianMs * Math.Exp(noise * gaussian);
        }).ToList();
    }

    public static ResultRow Extraction(string split, double medianMs = 150, double noise = 0.03, int seed = 1) => new()
    {
        Kind = ResultKinds.Extraction, Model = "tiny", Family = "dinov2", CheckpointSha256 = "sha-tiny", Dataset = "cifar10", DatasetFingerprint = "fp",
        Split = split, LayerChoice = "0-3", Images = 500, WarmupBatches = 2, ImagesPerSecond = 200, BackboneImagesPerSecond = 230,
        ImagesPerSecondMin = 180, ImagesPerSecondMax = 220, BatchLatencyP50Ms = medianMs, BatchLatencyP95Ms = medianMs * 1.1, BatchLatencyP99Ms = medianMs * 1.2,
        ColdBatchMs = 400, Batch1LatencyP50Ms = 5, BatchMs = Timings(medianMs, noise, 16, seed),
        BatchSize = 32, Precision = "fp32", Device = "cpu", Recipe = "resize-224", Resolution = 224, Seed = 0,
        Threads = 2, Cpu = "AMD EPYC", LoadAverage = 0.5,
    };

    public static ResultRow Bench(int batch, double medianMs, double noise = 0.03, int seed = 1) => new()
    {
        Kind = ResultKinds.Bench, Model = "dinov2_vits14", RandomWeights = true, Family = "dinov2", Parameters = 22_000_000, CheckpointSha256 = "random-seed0",
        LayerChoice = "8-11", BatchSize = batch, Precision = "fp32", Device = "cpu", Resolution = 224, GflopPerImage = 12.25,
        ImagesPerSecond = batch * 1000 / medianMs, ImagesPerSecondMin = batch * 900 / medianMs, ImagesPerSecondMax = batch * 1100 / medianMs,
        BatchLatencyP50Ms = medianMs, BatchMs = Timings(medianMs, noise, 20, seed), Batch1Ms = Timings(110, noise, 20, seed + 7),
        Batch1LatencyP50Ms = 110, WarmupBatches = 3, Threads = 2, Cpu = "AMD EPYC", LoadAverage = 0.5,
    };

    public static List<ResultRow> Rows() =>
    [
        .. Enumerable.Range(0, 4).Select(b => Accuracy(b, 280 + 12 * b)),
        Extraction("train"),
        Extraction("test", seed: 2),
    ];

    public static List<ResultRow> BenchRows(double factor = 1, double noise = 0.03, int seed = 1) =>
        [.. new[] { 8, 16, 32 }.Select(batch => Bench(batch, factor * batch * 12.5, noise, seed + batch))];

    public static RunManifest Manifest(string name, int seed = 0) => new()
    {
        RunName = name,
        Config = new System.Text.Json.Nodes.JsonObject { ["test"] = true, ["Seed"] = seed },
        Environment = new RunEnvironment("1.0", "abc", "linux", ".NET", "cpu", 2, "0.107", "/lib", false, null, null),
        StartedUtc = DateTimeOffset.UnixEpoch,
        FinishedUtc = DateTimeOffset.UnixEpoch.AddSeconds(5),
    };

    /// <summary>Rows as JSON, numbers to 7 significant digits (results files keep 10): value equality for rows that hold lists.</summary>
    public static string Json(IEnumerable<ResultRow> rows) =>
        System.Text.Json.JsonSerializer.Serialize(rows, new System.Text.Json.JsonSerializerOptions { Converters = { new RoundedDoubles() } });

    private sealed class RoundedDoubles : System.Text.Json.Serialization.JsonConverter<double>
    {
        public override double Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) => reader.GetDouble();

        public override void Write(System.Text.Json.Utf8JsonWriter writer, double value, System.Text.Json.JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString("G7", System.Globalization.CultureInfo.InvariantCulture));
    }
}
