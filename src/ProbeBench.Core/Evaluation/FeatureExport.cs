using System.Text.Json;
using System.Text.Json.Nodes;
using ProbeBench.Core.Cache;
using ProbeBench.Core.Cache.Export;
using ProbeBench.Core.Data;
using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Core.Results;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Core.Evaluation;

/// <summary>
/// <c>probebench export</c>: the features a run extracted (every cache entry its extract units recorded), or the cache
/// entries a key prefix names, written as .npy, safetensors or Parquet with labels, class names, image ids and the
/// entry's provenance, for the user's own notebooks.
/// </summary>
public static class FeatureExport
{
    /// <param name="Overwrite">Replace files of the same names already in <paramref name="To"/> (else the export is refused before anything is read).</param>
    public sealed record Request(string Source, string To, string Format = "npy", string? CacheRoot = null, string? DataRoot = null,
        string ResultsRoot = "results/runs", IReadOnlyList<string>? Layers = null, IReadOnlyList<string>? Splits = null, bool Overwrite = false);

    /// <summary>One matrix to export: its name (known before anything is read) and how to read it.</summary>
    private sealed record Pending(string Name, Func<string, ExportedFeatures> Read)
    {
        /// <summary>The cache key it reads: added to the name when two matrices of a run would have the same one.</summary>
        public string? Key { get; init; }
    }

    /// <summary>The files written, all or none (<see cref="ExportFolder"/>).</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(Request request, Action<string>? log = null, CancellationToken cancellation = default)
    {
        if (!FeatureExportWriter.Formats.Contains(request.Format))
            throw new ProbeBenchException($"--format: '{request.Format}' is not one of {string.Join(", ", FeatureExportWriter.Formats)}.");
        var exports = LooksLikeRun(request) ? await FromRunAsync(request, log, cancellation) : FromCache(request);
        if (exports.Count == 0) throw new ProbeBenchException($"{request.Source} names no features to export{(request.Layers is null && request.Splits is null ? "" : " with those --layers/--splits")}.");
        using var folder = ExportFolder.Open(request.To, exports.SelectMany(e => FeatureExportWriter.FileNames(e.Name, request.Format)).ToList(), request.Overwrite);
        var staged = new List<string>();
        foreach (var e in exports)
        {
            cancellation.ThrowIfCancellationRequested();
            try
            {
                staged.AddRange(FeatureExportWriter.Write(e.Read(e.Name), folder.Staging, request.Format, folder.Folder));
            }
            catch (Exception problem) when (FileSystemError(problem) is { } io)
            {
                throw new ProbeBenchException($"--to {folder.Folder}: writing {e.Name} failed ({io.Message}); none of this export's files were left there.", inner: problem);
            }
            log?.Invoke($"exported {e.Name}");
        }
        return folder.Publish(staged);
    }

    // Parquet.Net wraps the stream's IOException in an ApplicationException ("failed to serialise data column …").
    private static Exception? FileSystemError(Exception e)
    {
        // A ProbeBenchException already says what failed (a cache read, say): never relabelled as a write.
        for (var at = e; at is not null and not ProbeBenchException; at = at.InnerException)
            if (at is IOException or UnauthorizedAccessException) return at;
        return null;
    }

    private static bool LooksLikeRun(Request request)
    {
        try
        {
            ResultsSource.RunFolder(request.Source, request.ResultsRoot);
            return true;
        }
        catch (UnfinishedRunException)
        {
            throw;
        }
        catch (ProbeBenchException)
        {
            return false;
        }
    }

    private static async Task<List<Pending>> FromRunAsync(Request request, Action<string>? log, CancellationToken cancellation)
    {
        var folder = ResultsSource.RunFolder(request.Source, request.ResultsRoot);
        var run = RunFolderReader.ReadFinished(folder, "The run", "export reads only finished runs (its features may be incomplete)");
        var cacheRoot = CacheDirectories.Root(request.CacheRoot ?? RootSetting(run, "CacheRoot"));
        var dataRoot = CacheDirectories.DataRoot(request.DataRoot ?? RootSetting(run, "DataRoot"), cacheRoot);
        var cache = new FeatureCache(cacheRoot);
        var units = Path.Combine(folder, "units");
        if (!Directory.Exists(units)) throw new ProbeBenchException($"{folder} has no units/ folder (a run of an older ProbeBench?); export a cache key instead.");
        var store = new UnitStore(units);
        var exports = new List<Pending>();
        foreach (var file in Directory.EnumerateFiles(units, "extract-*.json").Order(StringComparer.Ordinal))
        {
            var record = store.TryGet(Path.GetFileNameWithoutExtension(file))!;
            if (record.Unit is not ExtractUnit unit || (request.Splits is { } splits && !splits.Contains(record.Split ?? unit.Split))) continue;
            var (ids, classes) = await IdsAsync(unit, record, dataRoot, log, cancellation);
            foreach (var (choice, key) in record.CacheKeys)
            {
                if (request.Layers is { } layers && !layers.Contains(choice)) continue;
                var provenance = Provenance(cache, key, new { run = run.Name, model = record.Model, checkpointSha256 = record.CheckpointSha256, dataset = record.Dataset, split = record.Split, layerChoice = choice });
                exports.Add(new Pending(Stem(record.Model, record.Dataset, unit.Shard is { } k ? $"{record.Split}-shard{k + 1}of{unit.Shards}" : record.Split, choice), name =>
                {
                    var features = cache.Read(key);
                    return new ExportedFeatures(name, features,
                        classes ?? Enumerable.Range(0, features.ClassCount).Select(c => c.ToString()).ToList(), ids ?? Positions(features.Rows), provenance);
                }) { Key = key });
            }
        }
        // Two cells can share a model name (the same name, other weights or recipe): their matrices keep apart by key.
        exports = exports.DistinctBy(e => (e.Name, e.Key)).ToList(); // one entry named twice (cells sharing an extraction) is one matrix
        var shared = exports.GroupBy(e => e.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        return exports.Select(e => shared.Contains(e.Name) ? e with { Name = $"{e.Name}__{e.Key![..12]}" } : e).ToList();
    }

    // A root the run's manifest recorded (null when it recorded none); anything but a string is an error naming the manifest.
    private static string? RootSetting(RunFolder run, string key)
    {
        if (run.Manifest?.Config is not JsonObject config || !config.TryGetPropertyValue(key, out var value) || value is null) return null;
        if (value is JsonValue text && text.TryGetValue<string>(out var root)) return root;
        throw new ProbeBenchException(
            $"The manifest {Path.Combine(run.Folder, RunFolderWriter.ManifestFile)} is not valid ProbeBench JSON (Config.{key} is {value.GetValueKind()}, not a folder path); pass --{(key == "CacheRoot" ? "cache-root" : "data-root")}.");
    }

    // The split reopened to name its rows; when it is gone or changed, rows are named by position (and the log says so).
    private static async Task<(IReadOnlyList<string>? Ids, IReadOnlyList<string>? Classes)> IdsAsync(ExtractUnit unit, UnitRecord record, string dataRoot,
        Action<string>? log, CancellationToken cancellation)
    {
        try
        {
            var dataset = await DatasetResolver.OpenAsync(unit.Dataset, unit.Split, dataRoot, progress: null, cancellation);
            if (dataset.Fingerprint != record.DatasetFingerprint)
            {
                log?.Invoke($"{record.Dataset}/{record.Split} changed since the run; its rows are named by position");
                return (null, dataset.ClassNames);
            }
            var indices = unit.ShardOf(DatasetSubset.Stratified(dataset, unit.Limit, unit.Seed) ?? Enumerable.Range(0, dataset.Count).ToList());
            if (indices.Count != record.SplitRows) return (null, dataset.ClassNames);
            return (indices.Select(dataset.IdOf).ToList(), dataset.ClassNames);
        }
        catch (ProbeBenchException e)
        {
            log?.Invoke($"{record.Dataset}/{record.Split} could not be reopened ({e.Message}); its rows are named by position");
            return (null, null);
        }
    }

    private static List<Pending> FromCache(Request request)
    {
        var cache = new FeatureCache(CacheDirectories.Root(request.CacheRoot));
        var entries = cache.Find(request.Source);
        if (entries.Count == 0)
            throw new ProbeBenchException($"{request.Source} is neither a run (under {request.ResultsRoot}, or a folder) nor the start of a feature-cache key under {cache.FeaturesFolder}.");
        return entries.Where(e => e.State == FeatureCacheState.Complete && e.Manifest is not null)
            .Where(e => request.Layers is not { } layers || layers.Contains(e.Manifest!.Parts.LayerChoice))
            .Where(e => request.Splits is not { } splits || splits.Contains(e.Manifest!.Parts.Split))
            .Select(e => new Pending(Stem(e.Key[..12], e.Manifest!.Parts.Split, e.Manifest.Parts.LayerChoice), name =>
            {
                var features = cache.Read(e.Key);
                return new ExportedFeatures(name, features,
                    Enumerable.Range(0, features.ClassCount).Select(c => c.ToString()).ToList(), Positions(features.Rows), Provenance(cache, e.Key, new { }));
            })).ToList();
    }

    private static string Provenance(FeatureCache cache, string key, object context) => JsonSerializer.Serialize(new
    {
        key, parts = FeatureCacheManifest.Load(cache.EntryFolder(key))?.Parts, context, exportedUtc = DateTimeOffset.UtcNow,
    });

    private static List<string> Positions(int rows) => Enumerable.Range(0, rows).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

    private static string Stem(params string?[] parts) =>
        string.Join("__", parts.Select(p => new string((p ?? "").Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '@' or '+' ? c : '_').ToArray())));
}
