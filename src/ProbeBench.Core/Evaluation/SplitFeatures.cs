using ProbeBench.Core.Extraction;

namespace ProbeBench.Core.Evaluation;

/// <summary>The cached features of one split: a cache key per layer choice, and the extraction's figures when one ran.</summary>
public sealed record SplitFeatures(string Split, int Rows, IReadOnlyDictionary<string, string> KeysByChoice, ExtractionStats? Stats, IReadOnlyList<string> Rebuilt);
