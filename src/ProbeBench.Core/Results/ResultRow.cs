namespace ProbeBench.Core.Results;

/// <summary>
/// One row of <c>results.csv</c>: a model × dataset × layer choice × head × hyper-parameter with its metrics,
/// or (<see cref="Kind"/> = speed) one backbone speed measurement. Empty cells are values that do not apply.
/// </summary>
[CsvHelper.CsvRecord]
public sealed partial record ResultRow
{
    public string Kind { get; init; } = "accuracy";
    public string Model { get; init; } = "";
    public long? Parameters { get; init; }
    public string Dataset { get; init; } = "";
    public string LayerChoice { get; init; } = "";
    public int? BlockIndex { get; init; }
    public string Head { get; init; } = "";
    public string HyperParameter { get; init; } = "";
    public int? TrainRows { get; init; }
    public int? TestRows { get; init; }
    public double? Top1 { get; init; }
    public double? Top1CiLow { get; init; }
    public double? Top1CiHigh { get; init; }
    public double? Top5 { get; init; }
    public double? BalancedAccuracy { get; init; }
    public double? LogLoss { get; init; }
    public double? HeadTrainSeconds { get; init; }
    public double? HeadSamplesPerSecond { get; init; }
    public double? HeadLatencyMs { get; init; }
    /// <summary>Images per second: end-to-end extraction for accuracy rows, the median forward rate for speed rows.</summary>
    public double? ImagesPerSecond { get; init; }
    /// <summary>Lowest and highest rate seen over repeats (the noise band the compare gate uses).</summary>
    public double? ImagesPerSecondMin { get; init; }
    public double? ImagesPerSecondMax { get; init; }
    public int? Repeats { get; init; }
    public double? BackboneImagesPerSecond { get; init; }
    /// <summary>Latency percentiles: per batch for extraction rows, per single image for speed rows.</summary>
    public double? LatencyP50Ms { get; init; }
    public double? LatencyP95Ms { get; init; }
    public double? LatencyP99Ms { get; init; }
    public double? Batch1LatencyMs { get; init; }
    public int? BatchSize { get; init; }
    public string Precision { get; init; } = "";
    public string Device { get; init; } = "";
    public string Recipe { get; init; } = "";
    public int? Resolution { get; init; }
    public double? GflopPerImage { get; init; }

    /// <summary>What identifies a row across runs (everything but the measurements).</summary>
    public string MatchKey =>
        string.Join('|', Kind, Model, Dataset, LayerChoice, Head, HyperParameter, BatchSize, Precision, Device, Recipe, Resolution);
}
