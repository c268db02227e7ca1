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
            var root = dataset.Path ?? dataset.Name;
            int Count(string split) => Directory.Exists(Path.Combine(root, split, "rgb")) ? Directory.GetFiles(Path.Combine(root, split, "rgb")).Length : 0;
            (train, test) = (Count("train"), Count("test"));
            var names = Path.Combine(root, DenseFolders.ClassesFile);
            classes = File.Exists(names) ? File.ReadLines(names).Count(l => l.Trim().Length > 0) : 0;
            var first = Directory.Exists(Path.Combine(root, "train", "rgb")) ? Directory.GetFiles(Path.Combine(root, "train", "rgb")).Order(StringComparer.Ordinal).FirstOrDefault() : null;
            side = first is null ? 224 : Math.Max(ImageDecoder.Dimensions(first).Height, 1);
        }
        var (h, w) = recipe.OutputSize(side, side);
        return new DenseSizes(train, test, classes, (h, w));
    }
}
