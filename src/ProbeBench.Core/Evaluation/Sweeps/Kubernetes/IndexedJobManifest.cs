using System.Globalization;
using System.Text.RegularExpressions;
using ProbeBench.Core.Evaluation.Sweeps.Slurm;
using YamlDotNet.Serialization;

namespace ProbeBench.Core.Evaluation.Sweeps.Kubernetes;

/// <summary>
/// <c>sweep submit --backend k8s --emit job.yaml</c>: a Kubernetes Indexed Job over a sweep. Index i runs slice i of all units
/// in dependency order with their dependencies (a head whose extraction runs in another pod waits on that unit's lock, then
/// reads its record), so one Job needs no ordering between pods. Every pod mounts one shared volume holding the sweep and the cache.
/// </summary>
public static partial class IndexedJobManifest
{
    public const int MaxCompletions = 100_000;

    public static string Emit(SweepFolder sweep, IndexedJobOptions options)
    {
        var mount = Path.GetFullPath(options.MountPath);
        var paths = new List<(string What, string Path)> { ("the sweep folder", sweep.Path), ("the cache root", sweep.Plan.CacheRoot!), ("the data root", sweep.Plan.DataRoot!) };
        paths.AddRange(sweep.Plan.Models.SelectMany(m => new[] { m.Weights, m.Config }).OfType<string>().Where(Path.IsPathRooted).Select(p => ("the model file", p)));
        paths.AddRange(sweep.Plan.Datasets.Select(d => d.Path).OfType<string>().Select(p => ("the dataset folder", p)));
        var prefix = mount.EndsWith('/') ? mount : mount + "/";
        foreach (var (what, path) in paths)
            if (!Path.GetFullPath(path).StartsWith(prefix, StringComparison.Ordinal))
                throw new ProbeBenchException($"--mount-path {mount} does not contain {what} {path}; every pod sees only the volume, so plan the sweep under the mount path.");

        var units = sweep.Graph.Units.Count;
        var perTask = options.UnitsPerTask ?? Math.Max(1, (units + SlurmBackend.MaxTasksPerArray - 1) / SlurmBackend.MaxTasksPerArray);
        if (perTask <= 0) throw new ProbeBenchException($"--units-per-task: expected a positive integer, got {perTask}.");
        var completions = (units + perTask - 1) / perTask;
        var parallelism = options.Parallelism ?? Math.Min(completions, 8);
        var name = options.Name ?? DnsLabel($"pb-sweep-{sweep.Name}");
        var labels = new Dictionary<string, object> { ["app.kubernetes.io/name"] = "probebench", ["probebench/sweep"] = DnsLabel(sweep.Name) };
        var limits = new Dictionary<string, object>();
        if (options.Gpus > 0) limits["nvidia.com/gpu"] = options.Gpus;
        if (options.Cpu is not null) limits["cpu"] = options.Cpu;
        if (options.Memory is not null) limits["memory"] = options.Memory;
        var container = new Dictionary<string, object>
        {
            ["name"] = "worker",
            ["image"] = options.Image,
            ["command"] = options.Command.Concat(["sweep", "work", sweep.Path, "--with-dependencies", "--units-per-task", perTask.ToString(CultureInfo.InvariantCulture)]).ToList(),
            ["env"] = new List<object> { new Dictionary<string, object> { ["name"] = "PROBEBENCH_CACHE", ["value"] = sweep.Plan.CacheRoot! } },
            ["volumeMounts"] = new List<object> { new Dictionary<string, object> { ["name"] = "sweep", ["mountPath"] = mount } },
        };
        if (limits.Count > 0) container["resources"] = new Dictionary<string, object> { ["requests"] = limits, ["limits"] = limits };
        var metadata = new Dictionary<string, object> { ["name"] = name, ["labels"] = labels };
        if (options.Namespace is not null) metadata["namespace"] = options.Namespace;
        var job = new Dictionary<string, object>
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = metadata,
            ["spec"] = new Dictionary<string, object>
            {
                ["completionMode"] = "Indexed",
                ["completions"] = completions,
                ["parallelism"] = parallelism,
                ["backoffLimitPerIndex"] = options.BackoffLimitPerIndex,
                ["template"] = new Dictionary<string, object>
                {
                    ["metadata"] = new Dictionary<string, object> { ["labels"] = labels },
                    ["spec"] = new Dictionary<string, object>
                    {
                        ["restartPolicy"] = "Never",
                        ["containers"] = new List<object> { container },
                        ["volumes"] = new List<object>
                        {
                            new Dictionary<string, object> { ["name"] = "sweep", ["persistentVolumeClaim"] = new Dictionary<string, object> { ["claimName"] = options.VolumeClaim } },
                        },
                    },
                },
            },
        };
        var yaml = $"# ProbeBench sweep {sweep.Path}: {units} units, {completions} indexes of {perTask}.\n# kubectl apply -f this file; probebench sweep status {sweep.Path} shows progress.\n"
                   + new SerializerBuilder().Build().Serialize(job);
        var problems = IndexedJobValidator.Problems(yaml);
        if (problems.Count > 0) throw new ProbeBenchException($"The Job manifest would be invalid: {problems[0]}.");
        return yaml;
    }

    /// <summary>A DNS-1123 label (lower-case letters, digits, '-', at most 63) made from <paramref name="text"/>.</summary>
    public static string DnsLabel(string text)
    {
        var label = NotLabel().Replace(text.ToLowerInvariant(), "-").Trim('-');
        if (label.Length > 63) label = label[..63].TrimEnd('-');
        return label.Length == 0 ? "sweep" : label;
    }

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex NotLabel();
}
