using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Core.Evaluation.Sweeps;

/// <summary><c>sweep plan</c>: a plan resolved (absolute paths, the cache root fixed), expanded into units, estimated, written as a sweep folder.</summary>
public static class SweepPlanner
{
    public static SweepFolder Plan(RunPlan plan, string folder, string? source = null, double? deviceGflops = null)
    {
        RunPlanRules.Validate(plan);
        // Workers run on other machines than the one planning: "auto" here would pick the login node's device for all of them.
        if (plan.Device.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase))
            throw new ProbeBenchException("device: a sweep's units run on its workers, not where it is planned; give the workers' device (--device cpu or --device cuda) instead of auto.");
        var cacheRoot = CacheDirectories.Root(plan.CacheRoot);
        var resolved = plan with
        {
            Models = plan.Models.Select(PlanExpander.Resolved).ToList(),
            Datasets = plan.Datasets.Select(PlanExpander.Resolved).ToList(),
            CacheRoot = cacheRoot,
            DataRoot = CacheDirectories.DataRoot(plan.DataRoot, plan.CacheRoot),
            Out = Path.GetFullPath(plan.Out),
        };
        var graph = PlanExpander.Expand(resolved);
        var (gflops, basis) = deviceGflops is { } given
            ? (given, "--device-gflops")
            : resolved.Device == "cpu" ? (DeviceSpeed.MatmulGflops(TorchRuntime.ResolveDevice("cpu")), $"fp32 matmul measured on {Environment.MachineName}'s CPU at plan time") : ((double?)null, "none");
        var manifest = new SweepManifest
        {
            CreatedUtc = DateTimeOffset.UtcNow, Source = source is null ? null : Path.GetFullPath(source),
            Units = SweepEstimator.Estimate(graph, resolved.DataRoot!, gflops), Notes = graph.Notes,
            DeviceGflops = gflops, DeviceGflopsSource = basis,
        };
        return SweepFolder.Create(folder, resolved, manifest);
    }
}
