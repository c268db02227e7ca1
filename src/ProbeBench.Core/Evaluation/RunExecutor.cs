using System.Text.Json;
using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Evaluation;

/// <summary>What a finished run produced.</summary>
public sealed record RunOutcome(string Folder, IReadOnlyList<ResultRow> Rows, RunManifest Manifest);

/// <summary>
/// Runs a <see cref="RunPlan"/>: expands it into work units (<see cref="PlanExpander"/>), runs them in dependency order
/// (each writes its record into the run folder's <c>units/</c>), then assembles the run folder from those records.
/// </summary>
public static class RunExecutor
{
    public static async Task<RunOutcome> RunAsync(RunPlan plan, RunCallbacks? callbacks = null, string? runName = null,
        CancellationToken cancellation = default, bool overwrite = false)
    {
        callbacks ??= new RunCallbacks();
        RunPlanRules.Validate(plan);
        plan = plan with { Device = Runtime.TorchRuntime.ResolveDeviceName(plan.Device, out var why) };
        if (why.Length > 0) callbacks.Log?.Invoke(why);
        var started = DateTimeOffset.UtcNow;
        var name = runName ?? DefaultName(plan, started);
        var draft = new RunFolderWriter(plan.Out).Begin(name, overwrite);
        try
        {
            var graph = PlanExpander.Expand(plan);
            foreach (var note in graph.Notes) callbacks.Log?.Invoke(note);
            if (RunEstimate.Describe(graph) is { } estimate) callbacks.Status?.Invoke(estimate);
            var store = new UnitStore(draft.UnitsFolder);
            var records = new List<UnitRecord>();
            using (var runner = UnitRunner.For(plan, callbacks))
                foreach (var unit in graph.Units)
                {
                    cancellation.ThrowIfCancellationRequested();
                    records.Add(await runner.RunAsync(graph, unit.Id, store, cancellation));
                }
            var (manifest, rows) = RunAssembly.Assemble(graph, records, name, started);
            callbacks.Status?.Invoke("writing results");
            return new RunOutcome(draft.Complete(manifest, rows), rows, manifest);
        }
        catch
        {
            draft.Abandon();
            throw;
        }
    }

    public static string DefaultName(RunPlan plan, DateTimeOffset started) =>
        $"{started:yyyyMMdd-HHmmss}-{Slug(string.Join('+', plan.Models.Select(m => m.Name)))}-{Slug(string.Join('+', plan.Datasets.Select(d => d.Name)))}";

    private static string Slug(string text)
    {
        var slug = new string(text.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '+' ? c : '_').ToArray());
        return slug.Length > 80 ? slug[..80] : slug;
    }
}

/// <summary>Builds a run's manifest, rows and latency sample from its units' records, in plan order.</summary>
public static class RunAssembly
{
    public static (RunManifest Manifest, IReadOnlyList<ResultRow> Rows) Assemble(
        RunGraph graph, IReadOnlyList<UnitRecord> records, string runName, DateTimeOffset started)
    {
        var byId = records.ToDictionary(r => r.Id);
        var ordered = graph.Units.Select(u => byId.TryGetValue(u.Id, out var r) ? r : throw new ProbeBenchException($"Work unit {u.Id} ({u.Describe()}) has no record.")).ToList();
        var extracts = graph.Units.OfType<ExtractUnit>().Select(u => byId[u.Id]).ToList();
        var plan = graph.Plan;
        var manifest = new RunManifest
        {
            RunName = runName,
            // The plan with every default written out (roots made absolute), as it ran.
            Config = JsonSerializer.SerializeToNode(plan with
            {
                Out = Path.GetFullPath(plan.Out),
                CacheRoot = Runtime.CacheDirectories.Root(plan.CacheRoot),
                DataRoot = Runtime.CacheDirectories.DataRoot(plan.DataRoot, plan.CacheRoot),
            })!,
            Resolved = JsonSerializer.SerializeToNode(graph.Cells.Select(c => new
            {
                model = c.Model, dataset = c.Dataset, family = c.Architecture.Family, architecture = c.Architecture.Canonical(),
                recipe = c.Recipe, layers = c.Choices.Select(l => new { name = l.Name, readout = l.Readout.ToString(), blocks = l.Blocks }),
            })),
            Environment = RunEnvironment.Capture(),
            CheckpointSha256 = extracts.Where(r => r.Model is not null && r.CheckpointSha256 is not null)
                .GroupBy(r => r.Model!).ToDictionary(g => g.Key, g => g.First().CheckpointSha256!),
            DatasetFingerprints = extracts.Where(r => r.Dataset is not null && r.DatasetFingerprint is not null)
                .GroupBy(r => $"{r.Dataset}/{r.Split}").ToDictionary(g => g.Key, g => g.First().DatasetFingerprint!),
            Seeds = new Dictionary<string, int> { ["subsets, splits, heads, bootstrap"] = graph.Plan.Seed },
            Notes = graph.Notes,
            Units = graph.Units.Select(u => byId[u.Id]).Zip(graph.Units, (r, u) =>
                new RunManifestUnit(r.Id, u is ExtractUnit ? "extract" : "head", r.Description, r.Host, r.Device, r.Worker, r.StartedUtc, r.FinishedUtc)).ToList(),
            StartedUtc = started,
            FinishedUtc = DateTimeOffset.UtcNow,
        };
        return (manifest, ordered.SelectMany(r => r.Rows).ToList());
    }
}
