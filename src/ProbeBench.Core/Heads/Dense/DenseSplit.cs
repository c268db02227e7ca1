using ProbeBench.Core.Cache;
using ProbeBench.Core.Data;

namespace ProbeBench.Core.Heads.Dense;

/// <summary>
/// One split as a dense head sees it: the tokens of the layer choice's blocks, the labels (one cache row per image), what
/// they are, and (test splits) a way to show an image beside its predictions.
/// </summary>
/// <param name="Image">The image of row i in the label geometry, for example figures; null when the images are not at hand.</param>
public sealed record DenseSplit(IPatchGridSource Grids, FeatureRowReader Labels, DenseTargets Targets, Func<int, RgbImage>? Image = null);
