using ProbeBench.Core.Extraction;
using ProbeBench.Core.Preprocessing;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Core.Evaluation;

/// <summary>What <c>probebench extract</c> does: one backbone, one dataset, some splits, some layer choices.</summary>
public sealed record ExtractRequest(
    ModelSpec Model,
    DatasetSpec Dataset,
    IReadOnlyList<string> Splits,
    IReadOnlyList<string> Layers,
    string? Recipe,
    ExtractionOptions Options,
    int? Limit = null,
    int Seed = 0,
    string? DataRoot = null,
    string? CacheRoot = null,
    string StorageType = "fp16")
{
    public string ResolvedCacheRoot => CacheRoot ?? CacheDirectories.Root();

    public string ResolvedDataRoot => DataRoot ?? Path.Combine(ResolvedCacheRoot, "data");

    public PreprocessRecipe ResolvedRecipe => RecipeFor(Dataset, Recipe);

    /// <summary>The named or custom recipe; by default resize-224 for the 32- and 96-pixel datasets, else dinov2-eval.</summary>
    public static PreprocessRecipe RecipeFor(DatasetSpec dataset, string? recipe) =>
        recipe is not null ? PreprocessRecipes.Parse(recipe)
        : dataset.Name.ToLowerInvariant() is "cifar10" or "cifar100" or "cifar100-coarse" or "stl10" ? PreprocessRecipe.Resize224
        : PreprocessRecipe.Dinov2Eval;
}
