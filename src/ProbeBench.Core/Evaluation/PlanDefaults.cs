using ProbeBench.Core.Data;
using ProbeBench.Core.Preprocessing;

namespace ProbeBench.Core.Evaluation;

/// <summary>Defaults a plan leaves to ProbeBench, decided in one place.</summary>
public static class PlanDefaults
{
    /// <summary>
    /// The named or custom recipe; by default resize-224 for catalog datasets of small images (at most 96 pixels,
    /// where cropping would cut the object), else dinov2-eval.
    /// </summary>
    public static PreprocessRecipe RecipeFor(DatasetSpec dataset, string? recipe) =>
        recipe is not null ? PreprocessRecipes.Parse(recipe)
        : DatasetCatalog.LoadDefault().Find(dataset.Name) is { ImageSize: <= 96 } ? PreprocessRecipe.Resize224
        : PreprocessRecipe.Dinov2Eval;
}
