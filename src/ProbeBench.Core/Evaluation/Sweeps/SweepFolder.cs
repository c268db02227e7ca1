using System.Text.Json;
using System.Text.Json.Serialization;
using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Evaluation.Sweeps;

/// <summary>
/// A sweep on disk, shared by every worker (put it on a file system all nodes see):
/// <c>sweep.json</c> (<see cref="SweepManifest"/>), <c>plan.json</c> (the resolved plan, absolute paths; <c>probebench run
/// --config</c> reads it too), <c>records/</c> (a <see cref="UnitStore"/>: one record per finished unit), <c>attempts/</c>
/// and <c>failures/</c> (who started a unit, and why one failed), <c>locks/</c> (one per unit while it runs), <c>logs/</c>,
/// and one folder per backend that submitted it (<c>slurm/</c>, <c>k8s/</c>).
/// </summary>
public sealed class SweepFolder
{
    public const string ManifestFile = "sweep.json";
    public const string PlanFile = "plan.json";

    /// <summary>Largest sweep.json read (64 MiB): a few hundred bytes per unit, so some 100,000 units.</summary>
    public const long MaxManifestBytes = 64L << 20;

    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>camelCase and no nulls: the layout plan files have, so the plan reader reads it back.</summary>
    internal static readonly JsonSerializerOptions PlanJson = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private SweepFolder(string path, SweepManifest manifest, RunPlan plan, RunGraph graph)
    {
        Path = path;
        Manifest = manifest;
        Plan = plan;
        Graph = graph;
        Records = new UnitStore(System.IO.Path.Combine(path, "records"));
    }

    public string Path { get; }
    public SweepManifest Manifest { get; }
    public RunPlan Plan { get; }
    public RunGraph Graph { get; }
    public UnitStore Records { get; }

    public string Name => System.IO.Path.GetFileName(Path);
    public string LogsFolder => Sub("logs");
    public string Sub(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
    public string LockPath(string unitId) => Sub("locks", unitId + ".lock");

    public IReadOnlyList<WorkUnit> Units(SweepPhase phase) => phase switch
    {
        SweepPhase.Extract => Graph.Units.Where(u => u is ExtractUnit).ToList(),
        SweepPhase.Heads => Graph.Units.Where(u => u is HeadUnit).ToList(),
        _ => Graph.Units,
    };

    public SweepUnitEntry Entry(string unitId) => Manifest.Units.First(u => u.Id == unitId);

    /// <summary>
    /// What the sweep's workers read and share: its manifest and plan, the folders of records, attempts, failures, locks,
    /// logs and Slurm scripts, the cache and data roots, local model files and dataset folders. A file a command writes
    /// about the sweep (a Kubernetes manifest) may replace none of them, nor lie inside one (see <see cref="OutputFile.Claim"/>).
    /// </summary>
    public IReadOnlyList<string> Inputs() =>
    [
        Sub(ManifestFile), Sub(PlanFile), Records.Folder, Sub("attempts"), Sub("failures"), Sub("locks"), LogsFolder, Sub("slurm"),
        .. new[] { Plan.CacheRoot, Plan.DataRoot }.OfType<string>(),
        .. Plan.Models.SelectMany(m => new[] { m.Weights, m.Config }).OfType<string>(),
        .. Plan.Datasets.Select(d => d.Path).OfType<string>(),
    ];

    /// <summary>Writes a new sweep folder (the plan resolved, expanded and estimated); an existing one must hold the same units.</summary>
    public static SweepFolder Create(string folder, RunPlan plan, SweepManifest manifest)
    {
        var path = System.IO.Path.GetFullPath(folder);
        if (File.Exists(System.IO.Path.Combine(path, ManifestFile)))
        {
            var existing = Open(path);
            if (!existing.Manifest.Units.Select(u => u.Id).SequenceEqual(manifest.Units.Select(u => u.Id)))
                throw new ProbeBenchException($"{path} already holds another sweep ({existing.Manifest.Units.Count} units of another plan); choose another folder.");
            return existing;
        }
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            throw new ProbeBenchException($"{path} exists and is not empty; a sweep needs a folder of its own.");
        try
        {
            Directory.CreateDirectory(path);
            AtomicFile.WriteAllText(System.IO.Path.Combine(path, PlanFile), JsonSerializer.Serialize(plan, PlanJson));
            AtomicFile.WriteAllText(System.IO.Path.Combine(path, ManifestFile), JsonSerializer.Serialize(manifest, Json));
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new ProbeBenchException($"Cannot write the sweep folder {path} ({e.Message}).", inner: e);
        }
        return Open(path);
    }

    /// <summary>Opens a sweep folder: reads its plan, expands it again and checks the units are the ones planned.</summary>
    public static SweepFolder Open(string folder)
    {
        var path = System.IO.Path.GetFullPath(folder);
        var manifestPath = System.IO.Path.Combine(path, ManifestFile);
        if (!File.Exists(manifestPath))
            throw new ProbeBenchException($"{path} is not a sweep folder (no {ManifestFile}); make one with probebench sweep plan.");
        var text = InputFiles.ReadSmallText(manifestPath, "The sweep manifest", MaxManifestBytes);
        SweepManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<SweepManifest>(text, Json) ?? throw new JsonException("empty");
            if (manifest.Units is null) throw new JsonException("Units is missing");
            if (manifest.Units.Any(u => u?.Id is null || u.DependsOn is null)) throw new JsonException("a unit lacks its Id or DependsOn");
        }
        catch (JsonException e)
        {
            throw new ProbeBenchException($"The sweep manifest {manifestPath} is unreadable ({e.Message}).", inner: e);
        }
        if (manifest.FormatVersion != SweepManifest.CurrentFormatVersion)
            throw new ProbeBenchException($"The sweep manifest {manifestPath} is of format {manifest.FormatVersion}; this ProbeBench reads {SweepManifest.CurrentFormatVersion}.");
        var plan = RunPlanReader.Read(System.IO.Path.Combine(path, PlanFile));
        var graph = PlanExpander.Expand(plan);
        var planned = manifest.Units.Select(u => u.Id).ToList();
        if (!graph.Units.Select(u => u.Id).SequenceEqual(planned))
            throw new ProbeBenchException(
                $"The plan in {path} now expands to other work units than {ManifestFile} lists (another ProbeBench version, or an edited plan or checkpoint); plan a new sweep.");
        return new SweepFolder(path, manifest, plan, graph);
    }
}

/// <summary>Which units a worker takes: extraction (run first), heads (after it), or all in dependency order.</summary>
public enum SweepPhase { All, Extract, Heads }
