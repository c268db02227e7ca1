namespace ProbeBench.Core.Data;

/// <summary>One downloadable dataset as listed in <c>datasets/catalog.json</c>.</summary>
/// <param name="Format">How the unpacked folder is read: cifar10, cifar100, cifar100-coarse or stl10.</param>
/// <param name="Archive">File name the archive is saved under in the data root's downloads folder.</param>
/// <param name="Folder">Folder the archive unpacks to, relative to the data root.</param>
/// <param name="ArchiveBytes">Published archive size, for display (null when unknown).</param>
/// <param name="Splits">Split name → image count.</param>
public sealed record DatasetCatalogEntry(
    string Name,
    string Format,
    string Description,
    string Url,
    string Archive,
    string? Md5,
    string? Sha256,
    long? ArchiveBytes,
    string Folder,
    int ImageSize,
    IReadOnlyDictionary<string, int> Splits,
    IReadOnlyList<string> ClassNames);
