using System.Text.Json;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Data;

/// <summary>The downloadable datasets, read from <c>datasets/catalog.json</c> (copied next to the app).</summary>
public sealed class DatasetCatalog
{
    public const string FileName = "catalog.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly IReadOnlySet<string> Formats = new HashSet<string> { "cifar10", "cifar100", "cifar100-coarse", "stl10" };

    private DatasetCatalog(IReadOnlyList<DatasetCatalogEntry> entries) => Entries = entries;

    public IReadOnlyList<DatasetCatalogEntry> Entries { get; }

    /// <summary>The catalog shipped with the app: <c>&lt;app folder&gt;/datasets/catalog.json</c>.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "datasets", FileName);

    public static DatasetCatalog LoadDefault() => Load(DefaultPath);

    public static DatasetCatalog Load(string path)
    {
        if (!File.Exists(path))
            throw new ProbeBenchException($"The dataset catalog {path} is missing; reinstall ProbeBench or rebuild it.");
        CatalogFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CatalogFile>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new ProbeBenchException($"The dataset catalog {path} is not valid JSON ({e.Message}).", inner: e);
        }
        var entries = file?.Datasets ?? throw new ProbeBenchException($"The dataset catalog {path} has no 'datasets' list.");
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            if (string.IsNullOrWhiteSpace(entry.Name) || !seen.Add(entry.Name))
                throw new ProbeBenchException($"The dataset catalog {path} has an entry with an empty or repeated name '{entry.Name}'.");
            if (!Formats.Contains(entry.Format))
                throw new ProbeBenchException($"The dataset catalog {path}: '{entry.Name}' has format '{entry.Format}'; use one of {string.Join(", ", Formats)}.");
            if (!Uri.TryCreate(entry.Url, UriKind.Absolute, out _))
                throw new ProbeBenchException($"The dataset catalog {path}: '{entry.Name}' has no absolute url.");
            if (string.IsNullOrWhiteSpace(entry.Md5) && string.IsNullOrWhiteSpace(entry.Sha256))
                throw new ProbeBenchException($"The dataset catalog {path}: '{entry.Name}' needs an md5 or sha256.");
            if (string.IsNullOrWhiteSpace(entry.Folder) || Path.IsPathRooted(entry.Folder) || entry.Folder.Contains(".."))
                throw new ProbeBenchException($"The dataset catalog {path}: '{entry.Name}' needs a relative folder without '..'.");
            if (string.IsNullOrWhiteSpace(entry.Archive) || entry.Archive.IndexOfAny(['/', '\\']) >= 0)
                throw new ProbeBenchException($"The dataset catalog {path}: '{entry.Name}' needs an archive file name.");
            if (entry.ClassNames is null || entry.ClassNames.Count == 0 || entry.Splits is null || entry.Splits.Count == 0)
                throw new ProbeBenchException($"The dataset catalog {path}: '{entry.Name}' needs classNames and splits.");
        }
        return new DatasetCatalog(entries);
    }

    public DatasetCatalogEntry? Find(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    public DatasetCatalogEntry Get(string name) => Find(name)
        ?? throw new ProbeBenchException($"Unknown dataset '{name}'; the catalog has {string.Join(", ", Entries.Select(e => e.Name))}, or give an image-folder path.");

    /// <summary>The checksum a downloaded archive must have (sha256 preferred over md5).</summary>
    public static ExpectedChecksum ChecksumOf(DatasetCatalogEntry entry) =>
        !string.IsNullOrWhiteSpace(entry.Sha256) ? ExpectedChecksum.Sha256(entry.Sha256) : ExpectedChecksum.Md5(entry.Md5!);

    private sealed record CatalogFile(List<DatasetCatalogEntry>? Datasets);
}
