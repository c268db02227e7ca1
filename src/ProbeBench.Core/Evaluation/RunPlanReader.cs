using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace ProbeBench.Core.Evaluation;

/// <summary>
/// Reads a <see cref="RunPlan"/> from JSON or YAML (by extension: .json, .yaml, .yml). Schema, camelCase keys,
/// every key optional (defaults as in <see cref="RunPlan"/>):
/// <code>
/// models:   [ "dinov2_vits14" | { name, weights?, config? } ]
/// datasets: [ "cifar10" | { name, path? } ]
/// layers:   [ "cls@last", "cls+avgpool@last4", "every-block", ... ]
/// heads:    [ "logreg" | "knn" | "linear" ]
/// device: cpu|cuda|cuda:N   precision: fp32|fp16|bf16   batchSize: int   recipe: name
/// limitTrain: int   limitTest: int   seed: int   out: path   dataRoot: path   cacheRoot: path
/// logRegGrid: "dinov2" | "coarse" | "1e-3,1e-2,..."   knnK: [int]   bootstrapSamples: int
/// </code>
/// Errors name the file and the path of the bad field, e.g. <c>plan.yaml: $.heads[1]: ...</c>.
/// </summary>
public static class RunPlanReader
{
    private static readonly string[] Keys =
        ["models", "datasets", "layers", "heads", "device", "precision", "batchSize", "recipe", "limitTrain", "limitTest",
         "seed", "out", "dataRoot", "cacheRoot", "logRegGrid", "knnK", "bootstrapSamples"];

    public static RunPlan Read(string path)
    {
        if (!File.Exists(path)) throw new ProbeBenchException($"Run config {path} does not exist.");
        var text = File.ReadAllText(path);
        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        JsonNode? root = extension switch
        {
            ".json" => ParseJson(text, path),
            ".yaml" or ".yml" => ParseYaml(text, path),
            _ => throw new ProbeBenchException($"Run config {path} must end in .json, .yaml or .yml."),
        };
        return FromNode(root, path);
    }

    public static RunPlan FromNode(JsonNode? root, string source)
    {
        if (root is not JsonObject obj) throw Error(source, "$", "the config must be an object of settings");
        foreach (var (key, _) in obj)
            if (!Keys.Contains(key))
            {
                var hint = Keys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase) || string.Equals(k, key.Replace("-", "").Replace("_", ""), StringComparison.OrdinalIgnoreCase));
                throw Error(source, $"$.{key}", $"unknown field{(hint is null ? $"; known fields: {string.Join(", ", Keys)}" : $"; did you mean '{hint}'?")}");
            }

        var plan = new RunPlan();
        var r = new FieldReader(obj, source);
        plan = plan with
        {
            Models = r.List("models", ReadModel) ?? plan.Models,
            Datasets = r.List("datasets", ReadDataset) ?? plan.Datasets,
            Layers = r.List("layers", (n, p) => String(n, p, source)) ?? plan.Layers,
            Heads = r.List("heads", (n, p) => OneOf(String(n, p, source), RunPlan.KnownHeads, p, source)) ?? plan.Heads,
            Device = r.Value("device", (n, p) => String(n, p, source)) ?? plan.Device,
            Precision = r.Value("precision", (n, p) => OneOf(String(n, p, source), RunPlan.KnownPrecisions, p, source)) ?? plan.Precision,
            BatchSize = r.Value("batchSize", (n, p) => Positive(n, p, source)) ?? plan.BatchSize,
            Recipe = r.Value("recipe", (n, p) => String(n, p, source)) ?? plan.Recipe,
            LimitTrain = r.Value("limitTrain", (n, p) => Positive(n, p, source)) ?? plan.LimitTrain,
            LimitTest = r.Value("limitTest", (n, p) => Positive(n, p, source)) ?? plan.LimitTest,
            Seed = r.Value("seed", (n, p) => Integer(n, p, source)) ?? plan.Seed,
            Out = r.Value("out", (n, p) => String(n, p, source)) ?? plan.Out,
            DataRoot = r.Value("dataRoot", (n, p) => String(n, p, source)) ?? plan.DataRoot,
            CacheRoot = r.Value("cacheRoot", (n, p) => String(n, p, source)) ?? plan.CacheRoot,
            LogRegGrid = r.Value("logRegGrid", (n, p) => String(n, p, source)) ?? plan.LogRegGrid,
            KnnK = r.List("knnK", (n, p) => Positive(n, p, source)) ?? plan.KnnK,
            BootstrapSamples = r.Value("bootstrapSamples", (n, p) => Positive(n, p, source)) ?? plan.BootstrapSamples,
        };
        return plan;

        ModelSpec ReadModel(JsonNode? node, string path) => node switch
        {
            JsonValue => new ModelSpec(String(node, path, source)),
            JsonObject o => new ModelSpec(
                Required(Checked(o, ["name", "weights", "config"], path, source), "name", path, source),
                Optional(o, "weights", path, source),
                Optional(o, "config", path, source)),
            _ => throw Error(source, path, "expected a model name or an object with name, weights, config"),
        };

        DatasetSpec ReadDataset(JsonNode? node, string path) => node switch
        {
            JsonValue => new DatasetSpec(String(node, path, source)),
            JsonObject o => new DatasetSpec(
                Required(Checked(o, ["name", "path"], path, source), "name", path, source),
                Optional(o, "path", path, source)),
            _ => throw Error(source, path, "expected a dataset name or an object with name, path"),
        };
    }

    private sealed class FieldReader(JsonObject obj, string source)
    {
        public T? Value<T>(string key, Func<JsonNode?, string, T> read) where T : struct =>
            obj.TryGetPropertyValue(key, out var n) && n is not null ? read(n, $"$.{key}") : null;

        public string? Value(string key, Func<JsonNode?, string, string> read) =>
            obj.TryGetPropertyValue(key, out var n) && n is not null ? read(n, $"$.{key}") : null;

        public IReadOnlyList<T>? List<T>(string key, Func<JsonNode?, string, T> read)
        {
            if (!obj.TryGetPropertyValue(key, out var n) || n is null) return null;
            if (n is not JsonArray array) throw Error(source, $"$.{key}", "expected a list");
            if (array.Count == 0) throw Error(source, $"$.{key}", "the list is empty");
            return array.Select((item, i) => read(item, $"$.{key}[{i}]")).ToList();
        }
    }

    private static string Required(JsonObject o, string key, string path, string source) =>
        Optional(o, key, path, source) ?? throw Error(source, $"{path}.{key}", "is required");

    private static JsonObject Checked(JsonObject o, string[] allowed, string path, string source)
    {
        foreach (var (k, _) in o)
            if (!allowed.Contains(k))
                throw Error(source, $"{path}.{k}", $"unknown field; known fields: {string.Join(", ", allowed)}");
        return o;
    }

    private static string? Optional(JsonObject o, string key, string path, string source) =>
        o.TryGetPropertyValue(key, out var n) && n is not null ? String(n, $"{path}.{key}", source) : null;

    private static string String(JsonNode? node, string path, string source) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s)
            ? s
            : throw Error(source, path, "expected a non-empty string");

    private static int Integer(JsonNode? node, string path, string source)
    {
        if (node is JsonValue v)
        {
            if (v.TryGetValue<int>(out var i)) return i;
            if (v.TryGetValue<string>(out var s) && int.TryParse(s, out i)) return i;
        }
        throw Error(source, path, "expected an integer");
    }

    private static int Positive(JsonNode? node, string path, string source)
    {
        var value = Integer(node, path, source);
        return value > 0 ? value : throw Error(source, path, $"expected a positive integer, got {value}");
    }

    private static string OneOf(string value, IReadOnlyList<string> allowed, string path, string source) =>
        allowed.Contains(value) ? value : throw Error(source, path, $"'{value}' is not one of {string.Join(", ", allowed)}");

    private static ProbeBenchException Error(string source, string path, string message) => new($"{source}: {path}: {message}.");

    private static JsonNode? ParseJson(string text, string path)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ProbeBenchException($"Run config {path} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).", inner: e);
        }
    }

    private static JsonNode? ParseYaml(string text, string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new ProbeBenchException($"Run config {path} is not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {e.Message}", inner: e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner reports some malformed input this way, without a position.
            throw new ProbeBenchException($"Run config {path} is not valid YAML.", inner: e);
        }
        return stream.Documents.Count == 0 ? new JsonObject() : ToJson(stream.Documents[0].RootNode, path);
    }

    private static JsonNode? ToJson(YamlNode node, string path) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(
            kv.Key is YamlScalarNode { Value: { } key } ? key : throw new ProbeBenchException($"Run config {path}: line {kv.Key.Start.Line}: keys must be plain names."),
            ToJson(kv.Value, path)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(c => ToJson(c, path)).ToArray()),
        YamlScalarNode { Value: null or "" or "~" or "null" } s when s.Style == YamlDotNet.Core.ScalarStyle.Plain => null,
        YamlScalarNode s when s.Style == YamlDotNet.Core.ScalarStyle.Plain && int.TryParse(s.Value, out var i) => JsonValue.Create(i),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => null,
    };
}
