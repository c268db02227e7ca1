using ProbeBench.Core.Kernel;

namespace ProbeBench.Core.Cache.Export;

/// <summary>One feature matrix ready to leave ProbeBench: its rows, what each row is, and where it came from.</summary>
/// <param name="Name">File-name stem, e.g. <c>dinov2_vits14__cifar10__train__cls@last</c>.</param>
/// <param name="Ids">Per row: the image's relative path, or its position in the split.</param>
/// <param name="Provenance">The cache key and its parts, model and dataset, as JSON text.</param>
public sealed record ExportedFeatures(string Name, FeatureSet Features, IReadOnlyList<string> ClassNames, IReadOnlyList<string> Ids, string Provenance);
