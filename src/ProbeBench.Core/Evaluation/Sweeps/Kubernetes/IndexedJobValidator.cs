using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ProbeBench.Core.Evaluation.Sweeps.Kubernetes;

/// <summary>
/// Checks an Indexed Job manifest against what the API server would refuse (batch/v1 Job rules): names, completion mode,
/// counts, restart policy, the container, resource quantities, and volume mounts that name a declared volume.
/// </summary>
public static partial class IndexedJobValidator
{
    public static IReadOnlyList<string> Problems(string yaml)
    {
        var problems = new List<string>();
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode map) return ["the file must hold one YAML mapping"];
            root = map;
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            return [$"not valid YAML (line {e.Start.Line}): {e.Message}"];
        }
        string? Text(YamlNode? node, string path)
        {
            if (node is YamlScalarNode { Value: { Length: > 0 } v }) return v;
            problems.Add($"{path} is missing");
            return null;
        }
        int? Number(YamlNode? node, string path, int min, int max)
        {
            if (Text(node, path) is not { } text) return null;
            if (!int.TryParse(text, out var n) || n < min || n > max)
            {
                problems.Add($"{path} must be an integer from {min} to {max}, not '{text}'");
                return null;
            }
            return n;
        }
        if (Text(Get(root, "apiVersion"), "apiVersion") is { } api && api != "batch/v1") problems.Add($"apiVersion must be batch/v1, not {api}");
        if (Text(Get(root, "kind"), "kind") is { } kind && kind != "Job") problems.Add($"kind must be Job, not {kind}");
        var metadata = Get(root, "metadata");
        if (Text(Get(metadata, "name"), "metadata.name") is { } name && !DnsLabel().IsMatch(name)) problems.Add($"metadata.name '{name}' is not a DNS-1123 label (a-z, 0-9, '-', at most 63)");
        if (Get(metadata, "namespace") is YamlScalarNode { Value: { } ns } && !DnsLabel().IsMatch(ns)) problems.Add($"metadata.namespace '{ns}' is not a DNS-1123 label");
        var spec = Get(root, "spec");
        if (Text(Get(spec, "completionMode"), "spec.completionMode") is { } mode && mode != "Indexed") problems.Add($"spec.completionMode must be Indexed, not {mode}");
        var completions = Number(Get(spec, "completions"), "spec.completions", 1, IndexedJobManifest.MaxCompletions);
        var parallelism = Number(Get(spec, "parallelism"), "spec.parallelism", 1, IndexedJobManifest.MaxCompletions);
        if (completions is { } c && parallelism is { } p && p > c) problems.Add($"spec.parallelism {p} exceeds spec.completions {c}");
        if (Get(spec, "backoffLimitPerIndex") is { } perIndex) Number(perIndex, "spec.backoffLimitPerIndex", 0, 1000);
        var pod = Get(Get(spec, "template"), "spec");
        if (Text(Get(pod, "restartPolicy"), "spec.template.spec.restartPolicy") is { } restart && restart is not ("Never" or "OnFailure"))
            problems.Add($"spec.template.spec.restartPolicy must be Never or OnFailure, not {restart}");
        var volumes = (Get(pod, "volumes") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>().ToList() ?? [];
        var volumeNames = new HashSet<string>();
        foreach (var volume in volumes)
        {
            if (Text(Get(volume, "name"), "a volume's name") is { } v) volumeNames.Add(v);
            if (Get(volume, "persistentVolumeClaim") is { } claim && Text(Get(claim, "claimName"), "persistentVolumeClaim.claimName") is { } claimName && !DnsSubdomain().IsMatch(claimName))
                problems.Add($"persistentVolumeClaim.claimName '{claimName}' is not a DNS-1123 subdomain");
        }
        if (Get(pod, "containers") is not YamlSequenceNode { Children.Count: > 0 } containers)
        {
            problems.Add("spec.template.spec.containers is empty");
            return problems;
        }
        foreach (var container in containers.Children.OfType<YamlMappingNode>())
        {
            if (Text(Get(container, "name"), "a container's name") is { } cname && !DnsLabel().IsMatch(cname)) problems.Add($"container name '{cname}' is not a DNS-1123 label");
            if (Text(Get(container, "image"), "a container's image") is { } image && image.Any(char.IsWhiteSpace)) problems.Add($"image '{image}' holds white space");
            if (Get(container, "command") is not YamlSequenceNode { Children.Count: > 0 }) problems.Add("a container's command is empty");
            foreach (var mount in (Get(container, "volumeMounts") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [])
            {
                if (Text(Get(mount, "name"), "a volumeMount's name") is { } m && !volumeNames.Contains(m)) problems.Add($"volumeMount '{m}' names no volume of the pod");
                if (Text(Get(mount, "mountPath"), "a volumeMount's mountPath") is { } path && !path.StartsWith('/')) problems.Add($"mountPath '{path}' is not absolute");
            }
            foreach (var section in new[] { "requests", "limits" })
                if (Get(Get(container, "resources"), section) is YamlMappingNode quantities)
                    foreach (var (key, value) in quantities.Children)
                        if (value is not YamlScalarNode { Value: { } q } || !Quantity().IsMatch(q))
                            problems.Add($"resources.{section}.{key} '{(value as YamlScalarNode)?.Value}' is not a Kubernetes quantity");
        }
        return problems;
    }

    private static YamlNode? Get(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$")]
    private static partial Regex Quantity();
}
