using ProbeBench.Core.Extraction;

namespace ProbeBench.Core.Evaluation;

/// <summary>
/// The cached features of one split: a cache key per layer choice, the extraction's figures when one ran, and the layer
/// choices this call extracted itself (the others came from the cache, some written meanwhile by another process).
/// </summary>
public sealed record SplitFeatures(string Split, int Rows, IReadOnlyDictionary<string, string> KeysByChoice, ExtractionStats? Stats, IReadOnlyList<string> Rebuilt,
    IReadOnlyList<string>? Extracted = null);
