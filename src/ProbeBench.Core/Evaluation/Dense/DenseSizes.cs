using ProbeBench.Core.Data;
using ProbeBench.Core.Data.Dense;
using ProbeBench.Core.Preprocessing;

namespace ProbeBench.Core.Evaluation.Dense;

/// <summary>
/// What a plan knows of a dense dataset before opening it, for the estimate: split sizes and classes from the catalog (or
/// by counting a dense folder's files) and the network input size the recipe gives its typical image.
/// </summary>
public sealed record DenseSizes(int Train, int Test, int Classes, (int Height, int Width) Input)
{
    public static DenseSizes Of(DatasetSpec dataset, PreprocessRecipe recipe)
    {
        var entry = DatasetCatalog.LoadDefault().Find(dataset.Name);
        int train, test, classes, side;
        if (entry is not null)
        {
            (train, test) = (entry.Splits.GetValueOrDefault("train"), entry.Splits.GetValueOrDefault("test"));
            classes = entry.ClassNames.Count;
            side = entry.ImageSize > 0 ? entry.ImageSize : 224;
        }
        else
        {
            // The folder's splits as the run will open them: the same files counted, the same checks (a FIFO or a stray
            // file fails here, in one sentence, rather than hanging or miscounting the estimate).
            var root = dataset.Path ?? dataset.Name;
            IDenseDataset? Open(string split) => Directory.Exists(Path.Combine(root, split, "rgb")) ? DenseFolders.Open(root, split) : null;
            var (trainSet, testSet) = (Open("train"), Open("test"));
            (train, test) = (trainSet?.Count ?? 0, testSet?.Count ?? 0);
            classes = (trainSet ?? testSet)?.ClassNames.Count ?? 0;
            side = trainSet is { Count: > 0 } ? Math.Max(trainSet.ImageSize(0).Height, 1) : 224;
        }
        var (h, w) = recipe.OutputSize(side, side);
        return new DenseSizes(train, test, classes, (h, w));
    }
}
