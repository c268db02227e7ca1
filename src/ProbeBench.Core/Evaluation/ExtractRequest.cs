namespace ProbeBench.Core.Evaluation;

/// <summary>
/// What <c>probebench extract</c> does: one backbone, one dataset, some splits, some layer choices; the train and test
/// splits may be limited to seeded stratified subsets (other splits are read whole).
/// </summary>
public sealed record ExtractRequest(
    ModelSpec Model,
    DatasetSpec Dataset,
    IReadOnlyList<string> Splits,
    IReadOnlyList<string> Layers,
    string? Recipe = null,
    int BatchSize = 64,
    string Device = "auto",
    string Precision = "fp32",
    int? LimitTrain = null,
    int? LimitTest = null,
    int Seed = 0,
    string? DataRoot = null,
    string? CacheRoot = null,
    string StorageType = "fp16");
