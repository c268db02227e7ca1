using System.Text.Json;
using System.Text.Json.Serialization;
using ProbeBench.Core.IO;
using ProbeBench.Core.Kernel;

namespace ProbeBench.Core.Data;

/// <summary>The datasets ProbeBench knows by name and its suites, read from <c>datasets/catalog.json</c> (copied next to the app).</summary>
public sealed class DatasetCatalog
{
    public const string FileName = "catalog.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        AllowDuplicateProperties = false,
    };

    private static readonly Lazy<DatasetCatalog> Default = new(() => Load(DefaultPath));

    private DatasetCatalog(IReadOnlyList<DatasetCatalogEntry> entries, IReadOnlyDictionary<string, IReadOnlyList<string>> suites) =>
        (Entries, Suites) = (entries, suites);

    public IReadOnlyList<DatasetCatalogEntry> Entries { get; }

    /// <summary>Named lists of datasets (<c>--suite</c>), e.g. dinov2-linear.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Suites { get; }

    /// <summary>The catalog shipped with the app: <c>&lt;app folder&gt;/datasets/catalog.json</c>.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "datasets", FileName);

    /// <summary>The shipped catalog, read once per process.</summary>
    public static DatasetCatalog LoadDefault() => Default.Value;

    public static DatasetCatalog Load(string path)
    {
        if (!File.Exists(path))
            throw new ProbeBenchException($"The dataset catalog {path} is missing; reinstall ProbeBench or rebuild it.");
        var text = IO.InputFiles.ReadSmallText(path, "The dataset catalog", 64L << 20);
        CatalogFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CatalogFile>(text, Json);
        }
        catch (JsonException e)
        {
            throw new ProbeBenchException($"The dataset catalog {path} is not valid JSON ({e.Message}).", inner: e);
        }
        var entries = (file?.Datasets ?? throw new ProbeBenchException($"The dataset catalog {path} has no 'datasets' list."))
            .Select(e => e.Normalised()).ToList();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            if (string.IsNullOrWhiteSpace(entry.Name) || !seen.Add(entry.Name))
                throw new ProbeBenchException($"The dataset catalog {path} has an entry with an empty or repeated name '{entry.Name}'.");
            var problem = Problem(entry);
            if (problem is not null) throw new ProbeBenchException($"The dataset catalog {path}: '{entry.Name}' {problem}.");
        }
        var suites = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, members) in file.Suites ?? [])
        {
            if (members.Count == 0 || members.FirstOrDefault(m => !seen.Contains(m)) is { } unknown && unknown is not null)
                throw new ProbeBenchException($"The dataset catalog {path}: suite '{name}' is empty or names a dataset the catalog lacks.");
            suites[name] = members;
        }
        return new DatasetCatalog(entries, suites);
    }

    private static string? Problem(DatasetCatalogEntry entry)
    {
        if (!DatasetFormats.Names.Contains(entry.Format)) return $"has format '{entry.Format}'; use one of {string.Join(", ", DatasetFormats.Names)}";
        if (!DatasetMetrics.All.Contains(entry.Metric)) return $"has metric '{entry.Metric}'; use one of {string.Join(", ", DatasetMetrics.All)}";
        if (ProblemOf.Check(() => Dense.DenseLabels.Parse(entry.Task)) is { } task) return $"has task '{entry.Task}': {task}";
        if (!SafeRelative(entry.Folder) || entry.Folder.Length == 0) return "needs a relative folder without '..'";
        if (!SafeRelative(entry.ArchiveRoot)) return "has an archiveRoot that is not a relative path without '..'";
        if (entry.Splits.Count == 0 || entry.Splits.Any(s => s.Value <= 0)) return "needs splits with positive counts";
        if (entry.ClassNames.Count == 0 && !entry.Local && entry.DenseTask != Dense.DenseTask.Depth) return "needs classNames";
        if (entry.Local) return entry.Files.Count == 0 ? null : "is local (never downloaded) but lists files";
        if (entry.Files.Count == 0) return "lists no files (and is not local)";
        foreach (var f in entry.Files)
        {
            if (string.IsNullOrWhiteSpace(f.Name) || f.Name.IndexOfAny(['/', '\\']) >= 0 || f.Name is "." or "..") return $"has a file without a plain file name ('{f.Name}')";
            if (f.Url is not null && !Uri.TryCreate(f.Url, UriKind.Absolute, out _)) return $"file {f.Name} has no absolute url";
            if (f.Pinned is null && f.ChecksumSource != DatasetFile.FirstDownload)
                return $"file {f.Name} needs an md5 or sha256 (or a sha1, or checksumSource \"{DatasetFile.FirstDownload}\" where nobody publishes one)";
            if (f.Pinned is null && f.Url is null) return $"file {f.Name} is brought by hand, so it needs a checksum to be checked against";
            if (!SafeRelative(f.Into)) return $"file {f.Name} unpacks 'into' a path that is not relative without '..'";
            if (f.Member is not null && (f.Url is null || !SafeRelative(f.Member))) return $"file {f.Name} names a member but no container url, or an unsafe member path";
        }
        if (entry.Files.Any(f => f.Url is null) && string.IsNullOrWhiteSpace(entry.Notes)) return "has files to bring by hand but no notes saying where from";
        return null;
    }


    private static bool SafeRelative(string path) =>
        !Path.IsPathRooted(path) && !path.Split('/', '\\').Contains("..");

    public DatasetCatalogEntry? Find(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    public DatasetCatalogEntry Get(string name) => Find(name)
        ?? throw new ProbeBenchException($"Unknown dataset '{name}'; the catalog has {string.Join(", ", Entries.Select(e => e.Name))}; for a folder of images give its path.");

    /// <summary>The datasets of suite <paramref name="name"/>.</summary>
    public IReadOnlyList<string> Suite(string name) =>
        Suites.TryGetValue(name, out var members) ? members
        : throw new ProbeBenchException($"Unknown suite '{name}'; the catalog has {string.Join(", ", Suites.Keys)}.");

    private sealed record CatalogFile(List<DatasetCatalogEntry>? Datasets, Dictionary<string, List<string>>? Suites);
}
