using ProbeBench.Core.Data;
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

    /// <summary>
    /// The named or custom recipe; by default resize-224 for catalog datasets of small images (at most 96 pixels,
    /// where cropping would cut the object), else dinov2-eval.
    /// </summary>
    public static PreprocessRecipe RecipeFor(DatasetSpec dataset, string? recipe) =>
        recipe is not null ? PreprocessRecipes.Parse(recipe)
        : DatasetCatalog.LoadDefault().Find(dataset.Name) is { ImageSize: <= 96 } ? PreprocessRecipe.Resize224
        : PreprocessRecipe.Dinov2Eval;
}
