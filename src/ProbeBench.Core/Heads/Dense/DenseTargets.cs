using ProbeBench.Core.Data.Dense;

namespace ProbeBench.Core.Heads.Dense;

/// <summary>
/// Where a dense split's labels are (a feature-cache entry of one row per image: depth in metres or class indices, at
/// <see cref="Height"/> × <see cref="Width"/>) and what they mean. An extract unit records it; a dense head reads it.
/// </summary>
/// <param name="Native">The labels kept the dataset's own size (else they follow the recipe's resize and crop).</param>
/// <param name="About">What the split is (which training set, how it is scored), for the report.</param>
public sealed record DenseTargets(string Key, DenseTask Task, int Height, int Width, bool Native, IReadOnlyList<string> ClassNames,
    double MinDepth, double MaxDepth, string About);
