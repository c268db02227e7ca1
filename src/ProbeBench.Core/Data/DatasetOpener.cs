using ProbeBench.Core.IO;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Core.Data;

/// <summary>
/// Opens a dataset split by catalog name, downloading it into the data root when asked and missing, or by path to an
/// ImageFolder-style folder. Local-only entries (ImageNet) are read from <c>&lt;data root&gt;/&lt;folder&gt;</c> as they are.
/// </summary>
public sealed class DatasetOpener
{
    private readonly DatasetCatalog _catalog;
    private readonly DatasetInstaller _installer;

    public DatasetOpener(DatasetCatalog? catalog = null, DatasetInstaller? installer = null)
    {
        _catalog = catalog ?? DatasetCatalog.LoadDefault();
        _installer = installer ?? new DatasetInstaller();
    }

    public static string DefaultDataRoot => CacheDirectories.DataRoot(null);

    /// <param name="nameOrPath">A catalog name, or a folder path (anything with a path separator, or an existing folder).</param>
    /// <param name="split">train/test for catalog datasets; for image folders the split sub-folder (empty: the folder itself).</param>
    /// <param name="dataRoot">Where catalog datasets live; null: <see cref="DefaultDataRoot"/>.</param>
    /// <param name="download">Download a catalog dataset that is not present yet (otherwise that is an error).</param>
    public async Task<IImageDataset> OpenAsync(string nameOrPath, string split, string? dataRoot = null, bool download = false,
        IProgress<DownloadProgress>? progress = null, ImageFolderOptions? imageFolderOptions = null, CancellationToken cancellationToken = default)
    {
        var entry = _catalog.Find(nameOrPath);
        if (entry is null)
        {
            if (LooksLikePath(nameOrPath))
                return Dense.DenseFolders.Detect(nameOrPath) != Dense.DenseTask.Classification
                    ? Dense.DenseFolders.Open(nameOrPath, string.IsNullOrEmpty(split) ? "train" : split)
                    : ImageFolderDataset.Open(nameOrPath, string.IsNullOrEmpty(split) ? null : split, imageFolderOptions);
            _catalog.Get(nameOrPath); // throws the unknown-name error
        }

        dataRoot ??= DefaultDataRoot;
        if (!entry!.Splits.ContainsKey(split))
            throw new ProbeBenchException($"{entry.Name} has splits {string.Join(", ", entry.Splits.Keys)}, not '{split}'.");
        var folder = DatasetInstaller.FolderOf(entry, dataRoot);
        if (entry.Local)
        {
            if (!Directory.Exists(folder))
                throw new ProbeBenchException($"{entry.Name} is not at {folder}: {entry.Notes} Or pass its folder as --dataset-path.");
        }
        else if (download)
            folder = await _installer.EnsureInstalledAsync(entry, dataRoot, progress, cancellationToken: cancellationToken).ConfigureAwait(false);
        else if (!Directory.Exists(folder))
            throw new ProbeBenchException(
                $"{entry.Name} is not at {folder}; run 'probebench datasets download {entry.Name}' (it fetches {string.Join(", ", entry.Files.Select(f => f.Url ?? f.Name))}) or pass the data root that holds it.");
        return OpenFolder(entry, folder, split);
    }

    /// <summary>Reads an unpacked catalog dataset's folder.</summary>
    public static IImageDataset OpenFolder(DatasetCatalogEntry entry, string folder, string split) => DatasetFormats.Open(entry, folder, split);

    private static bool LooksLikePath(string value) =>
        value.Contains('/') || value.Contains('\\') || value.StartsWith('.') || Directory.Exists(value);
}
