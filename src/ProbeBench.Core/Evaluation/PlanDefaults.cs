using ProbeBench.Core.Data;
using ProbeBench.Core.Models;
using ProbeBench.Core.Preprocessing;

namespace ProbeBench.Core.Evaluation;

/// <summary>Defaults a plan leaves to ProbeBench, decided in one place.</summary>
public static class PlanDefaults
{
    /// <summary>
    /// The named or custom recipe; by default the one the model's family evaluates its weights with (DINOv3:
    /// dinov3-eval, dinov3-sat-eval for satellite weights), else resize-224 for catalog datasets of small images (at most
    /// 96 pixels, where cropping would cut the object), else dinov2-eval.
    /// </summary>
    public static PreprocessRecipe RecipeFor(DatasetSpec dataset, string? recipe, ModelSpec model, IBackboneConfig architecture)
    {
        if (recipe is not null) return PreprocessRecipes.Parse(recipe);
        var family = BackboneFamilies.Of(architecture);
        if (family.EvaluationRecipe(family.FindVariant(model.Name)) is { } named) return PreprocessRecipes.Parse(named);
        return DatasetCatalog.LoadDefault().Find(dataset.Name) is { ImageSize: <= 96 } ? PreprocessRecipe.Resize224 : PreprocessRecipe.Dinov2Eval;
    }
}
