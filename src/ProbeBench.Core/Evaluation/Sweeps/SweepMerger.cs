using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Evaluation.Sweeps;

/// <summary>
/// <c>sweep merge</c>: one run folder from a sweep's unit records, assembled exactly as <c>probebench run</c> assembles its own
/// (same rows in plan order, report, figures); its manifest lists every unit with host, device, worker and times.
/// </summary>
public static class SweepMerger
{
    public static RunOutcome Merge(SweepFolder sweep, string? outRoot = null, string? runName = null, bool overwrite = false, Action<string>? status = null)
    {
        var missing = sweep.Graph.Units.Where(u => sweep.Records.TryGet(u.Id) is null).ToList();
        if (missing.Count > 0)
            throw new ProbeBenchException(
                $"{missing.Count} of {sweep.Graph.Units.Count} units of {sweep.Path} have not finished ({string.Join(", ", missing.Take(3).Select(u => u.Id))}{(missing.Count > 3 ? ", …" : "")}); see probebench sweep status.");
        var name = runName ?? $"sweep-{sweep.Name}";
        var draft = new RunFolderWriter(outRoot ?? sweep.Plan.Out).Begin(name, overwrite);
        try
        {
            var store = new UnitStore(draft.UnitsFolder);
            var records = sweep.Graph.Units.Select(u => sweep.Records.Get(u.Id, "merge")).ToList();
            foreach (var record in records) store.Save(record);
            var started = records.Min(r => r.StartedUtc);
            var (manifest, rows) = RunAssembly.Assemble(sweep.Graph, records, name, started);
            manifest = manifest with { FinishedUtc = records.Max(r => r.FinishedUtc), Notes = [.. manifest.Notes, $"merged from the sweep {sweep.Path}"] };
            status?.Invoke("writing results");
            return new RunOutcome(draft.Complete(manifest, rows), rows, manifest);
        }
        catch
        {
            draft.Abandon();
            throw;
        }
    }
}
