using ProbeBench.Core.Data;
using ProbeBench.Core.Preprocessing;

namespace ProbeBench.Core.Evaluation.Units;

/// <summary>
/// How many images an extract unit will read and at what network input size, for estimates made before it runs: counted
/// from the data when it is already here (estimating never downloads), else from the catalog. <see cref="Basis"/> says
/// what was assumed, empty when nothing was.
/// </summary>
public sealed record SplitSize(int? Rows, int Height, int Width, string Basis)
{
    private const int AssumedSide = 224;

    public static SplitSize Of(ExtractUnit unit, string dataRoot, string? cacheRoot = null)
    {
        var spec = unit.Dataset;
        var entry = DatasetCatalog.LoadDefault().Find(spec.Name);
        try
        {
            var local = spec.Path is not null || entry is null || entry.Local || Directory.Exists(DatasetInstaller.FolderOf(entry, dataRoot));
            if (!local) return FromCatalog(unit, entry!);
            var options = cacheRoot is null ? null : new ImageFolderOptions(VerifyData: unit.VerifyData, IndexFolder: Path.Combine(cacheRoot, "image-folders"));
            var dataset = DatasetResolver.OpenAsync(spec, unit.Split, dataRoot, folderOptions: options).GetAwaiter().GetResult();
            if (dataset.Count == 0) return new SplitSize(0, AssumedSide, AssumedSide, "");
            var sample = dataset.Load(0);
            var (h, w) = PreprocessRecipes.Parse(unit.Recipe).OutputSize(sample.Height, sample.Width);
            return new SplitSize(Shard(unit, Math.Min(unit.Limit ?? int.MaxValue, dataset.Count)), h, w, "");
        }
        catch (ProbeBenchException e)
        {
            return entry is null
                ? new SplitSize(unit.Limit, AssumedSide, AssumedSide, $"dataset unreadable here ({e.Message.TrimEnd('.')}): {AssumedSide}×{AssumedSide} assumed")
                : FromCatalog(unit, entry) with { Basis = $"dataset unreadable here ({e.Message.TrimEnd('.')}): catalog size assumed" };
        }
    }

    private static SplitSize FromCatalog(ExtractUnit unit, DatasetCatalogEntry entry)
    {
        var side = entry.ImageSize > 0 ? entry.ImageSize : 256;
        var (h, w) = PreprocessRecipes.Parse(unit.Recipe).OutputSize(side, side);
        int? rows = entry.Splits.TryGetValue(unit.Split, out var count) ? Shard(unit, Math.Min(count, unit.Limit ?? int.MaxValue)) : unit.Limit;
        return new SplitSize(rows, h, w, "dataset not downloaded yet: its catalog size assumed");
    }

    private static int Shard(ExtractUnit unit, int rows) =>
        unit.Shard is { } k && unit.ShardRows is { } size ? Math.Clamp(rows - k * size, 0, size) : rows;
}
