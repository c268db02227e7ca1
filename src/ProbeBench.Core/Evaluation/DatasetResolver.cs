using ProbeBench.Core.Data;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Evaluation;

/// <summary>
/// Opens a <see cref="DatasetSpec"/>'s split: a catalog dataset from the data root (downloaded and unpacked first
/// when its folder is missing; local-only ones such as ImageNet read where they are), a catalog dataset at an explicit
/// path, or an image folder ("imagefolder" + path).
/// </summary>
public static class DatasetResolver
{
    public const string ImageFolder = "imagefolder";

    /// <summary>True when a dataset name is meant as a folder: not a catalog name, and a path (a separator, a leading dot, or an existing folder).</summary>
    public static bool IsFolderPath(string name) =>
        !string.Equals(name, ImageFolder, StringComparison.OrdinalIgnoreCase) && DatasetCatalog.LoadDefault().Find(name) is null
        && (name.Contains('/') || name.Contains('\\') || name.StartsWith('.') || name.StartsWith('~') || Directory.Exists(name));

    /// <param name="log">Notable events of an install (a first-download checksum being recorded).</param>
    public static async Task<IImageDataset> OpenAsync(DatasetSpec spec, string split, string dataRoot,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancellation = default, ImageFolderOptions? folderOptions = null, Action<string>? log = null)
    {
        var opener = new DatasetOpener(installer: new DatasetInstaller(log: log));
        if (spec.Path is null && IsFolderPath(spec.Name)) spec = new DatasetSpec(ImageFolder, spec.Name);
        if (string.Equals(spec.Name, ImageFolder, StringComparison.OrdinalIgnoreCase))
            return await opener.OpenAsync(spec.Path ?? throw new ProbeBenchException("Dataset 'imagefolder' needs a path (--dataset-path or path: in the config)."),
                split, dataRoot, download: false, progress, folderOptions, cancellation);
        var entry = DatasetCatalog.LoadDefault().Get(spec.Name);
        if (spec.Path is not null) return DatasetOpener.OpenFolder(entry, spec.Path, split);
        // A folder already there is read as it is (synthesized data, a copy made by hand); only a missing one is installed.
        var download = !entry.Local && !Directory.Exists(DatasetInstaller.FolderOf(entry, dataRoot));
        return await opener.OpenAsync(spec.Name, split, dataRoot, download, progress, cancellationToken: cancellation);
    }
}
