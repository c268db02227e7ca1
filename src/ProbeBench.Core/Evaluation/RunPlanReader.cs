using System.Text.Json;
using System.Text.Json.Nodes;
using ProbeBench.Core.IO;
using YamlDotNet.RepresentationModel;

namespace ProbeBench.Core.Evaluation;

/// <summary>
/// Reads a <see cref="RunPlan"/> from JSON or YAML (by extension: .json, .yaml, .yml). The schema is the record itself
/// (<see cref="RunPlanSchema"/>): one camelCase key per property, every key optional; models and datasets are names or
/// objects with their record's fields. Unknown keys are errors with a did-you-mean hint, every value goes through
/// <see cref="RunPlanRules"/>, and errors name the file and the path of the bad field, e.g. <c>plan.yaml: $.heads[1]: ...</c>.
/// </summary>
public static class RunPlanReader
{
    /// <summary>Nodes a plan may expand to (YAML aliases can make a small file describe an exponentially large tree).</summary>
    public const int MaxNodes = 100_000;

    /// <summary>A plan is a few lines; a larger file is refused before it is read.</summary>
    public const long MaxFileBytes = 16L << 20;

    public static RunPlan Read(string path)
    {
        InputFiles.Check(path, "Run config");
        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".json" or ".yaml" or ".yml"))
            throw new ProbeBenchException($"Run config {path} must end in .json, .yaml or .yml.");
        var text = InputFiles.ReadSmallText(path, "Run config", MaxFileBytes);
        var root = extension == ".json" ? ParseJson(text, path) : ParseYaml(text, path);
        return FromNode(root, path);
    }

    public static RunPlan FromNode(JsonNode? root, string source)
    {
        if (root is not JsonObject obj) throw Error(source, "$", "the config must be an object of settings");
        var plan = new RunPlan() with { };
        foreach (var (key, node) in obj)
        {
            var field = RunPlanSchema.Find(key) ?? throw Error(source, $"$.{key}", UnknownField(key, RunPlanSchema.Names));
            if (node is null) continue;
            field.Property.SetValue(plan, Bind(field.Type, node, $"$.{key}", field.Name, source));
        }
        return plan;
    }

    private static string UnknownField(string key, IReadOnlyList<string> known)
    {
        var hint = known.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)
                                            || string.Equals(k, key.Replace("-", "").Replace("_", ""), StringComparison.OrdinalIgnoreCase));
        return $"unknown field{(hint is null ? $"; known fields: {string.Join(", ", known)}" : $"; did you mean '{hint}'?")}";
    }

    // One value of a field's type: strings, integers, lists of them, and the spec records (a name or an object of their fields).
    private static object Bind(Type type, JsonNode node, string path, string field, string source)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            if (node is not JsonArray array) throw Error(source, path, "expected a list");
            if (array.Count == 0) throw Error(source, path, "the list is empty");
            var item = underlying.GetGenericArguments()[0];
            var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(item))!;
            for (var i = 0; i < array.Count; i++)
                list.Add(Bind(item, array[i] ?? throw Error(source, $"{path}[{i}]", "expected a value, not null"), $"{path}[{i}]", field, source));
            return list;
        }
        object value = underlying == typeof(string) ? String(node, path, source)
            : underlying == typeof(int) ? Integer(node, path, source)
            : underlying == typeof(double) ? Number(node, path, source)
            : underlying == typeof(bool) ? Boolean(node, path, source)
            : underlying == typeof(ModelSpec) || underlying == typeof(DatasetSpec) ? Spec(underlying, node, path, source)
            : throw new InvalidOperationException($"RunPlan field type {underlying} has no binder.");
        if (RunPlanRules.Check(field, value) is { } problem) throw Error(source, path, problem);
        return value;
    }

    /// <summary>A spec record from a name, or from an object whose keys are its constructor's parameters (the first one required).</summary>
    private static object Spec(Type type, JsonNode node, string path, string source)
    {
        var parameters = type.GetConstructors().Single().GetParameters();
        var names = parameters.Select(p => RunPlanSchema.CamelCase(p.Name!)).ToList();
        var values = new object?[parameters.Length];
        switch (node)
        {
            case JsonValue:
                values[0] = String(node, path, source);
                break;
            case JsonObject o:
                foreach (var (key, child) in o)
                {
                    var index = names.IndexOf(key);
                    if (index < 0) throw Error(source, $"{path}.{key}", $"unknown field; known fields: {string.Join(", ", names)}");
                    if (child is not null) values[index] = String(child, $"{path}.{key}", source);
                }
                if (values[0] is null) throw Error(source, $"{path}.{names[0]}", "is required");
                break;
            default:
                throw Error(source, path, $"expected a name or an object with {string.Join(", ", names)}");
        }
        for (var i = 1; i < parameters.Length; i++) values[i] ??= parameters[i].DefaultValue;
        return Activator.CreateInstance(type, values)!;
    }

    private static string String(JsonNode? node, string path, string source) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s)
            ? s
            : throw Error(source, path, "expected a non-empty string");

    private static int Integer(JsonNode? node, string path, string source)
    {
        if (node is JsonValue v)
        {
            if (v.TryGetValue<int>(out var i)) return i;
            if (v.TryGetValue<string>(out var s) && int.TryParse(s, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out i)) return i;
        }
        throw Error(source, path, "expected an integer");
    }

    private static double Number(JsonNode? node, string path, string source)
    {
        if (node is JsonValue v)
        {
            if (v.TryGetValue<double>(out var d)) return d;
            if (v.TryGetValue<string>(out var s) && double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out d)) return d;
        }
        throw Error(source, path, "expected a number");
    }

    private static bool Boolean(JsonNode? node, string path, string source)
    {
        if (node is JsonValue v)
        {
            if (v.TryGetValue<bool>(out var b)) return b;
            if (v.TryGetValue<string>(out var s) && bool.TryParse(s, out b)) return b;
        }
        throw Error(source, path, "expected true or false");
    }

    private static ProbeBenchException Error(string source, string path, string message) => new($"{source}: {path}: {message}.");

    private static JsonNode? ParseJson(string text, string path)
    {
        try
        {
            var root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            Walk(root, 0);
            return root;
        }
        catch (JsonException e)
        {
            throw new ProbeBenchException($"Run config {path} is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).", inner: e);
        }
        catch (ArgumentException e)
        {
            // JsonObject refuses a second value for the same key.
            var key = DuplicateKey.Match(e.Message) is { Success: true } m ? $"'{m.Groups[1].Value}'" : "a key";
            throw new ProbeBenchException($"Run config {path} sets {key} twice; each setting may appear once.", inner: e);
        }
    }

    // .NET's message for a second value of one key: "An item with the same key has already been added. Key: seed (Parameter 'key')".
    private static readonly System.Text.RegularExpressions.Regex DuplicateKey = new(@"Key: (.+?)(?: \(Parameter '[^']*'\))?$", System.Text.RegularExpressions.RegexOptions.Multiline);

    // JsonObject builds its key table (and finds a repeated key) only when first read: read every object here, where the
    // error can name the file; nesting is bounded like the YAML tree.
    private static int Walk(JsonNode? node, int count)
    {
        if (++count > MaxNodes) throw new JsonException($"more than {MaxNodes} values");
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o) count = Walk(child, count);
                break;
            case JsonArray a:
                foreach (var child in a) count = Walk(child, count);
                break;
        }
        return count;
    }

    /// <summary>Deepest nesting of brackets and braces a YAML plan may have (a plan nests two or three levels).</summary>
    public const int MaxYamlNesting = 64;

    private static JsonNode? ParseYaml(string text, string path)
    {
        var stream = new YamlStream();
        try
        {
            CheckNesting(text, path);
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
        if (stream.Documents.Count > 1) throw new ProbeBenchException($"Run config {path} holds {stream.Documents.Count} YAML documents; a plan is one.");
        var budget = MaxNodes;
        return stream.Documents.Count == 0 ? new JsonObject() : ToJson(stream.Documents[0].RootNode, path, ref budget);
    }

    // YamlStream.Load builds nested collections by recursion: 50,000 levels ("[[[[…", or "- - - …" as a block) overflow the
    // stack, which no catch survives. The event parser is not recursive, so the depth is measured on its events first.
    private static void CheckNesting(string text, string path)
    {
        var parser = new YamlDotNet.Core.Parser(new StringReader(text));
        var depth = 0;
        while (parser.MoveNext())
            if ((depth += parser.Current!.NestingIncrease) > MaxYamlNesting)
                throw new ProbeBenchException($"Run config {path}: line {parser.Current.Start.Line}: lists and mappings nest deeper than {MaxYamlNesting} levels; a plan nests a few.");
    }

    private static JsonNode? ToJson(YamlNode node, string path, ref int budget)
    {
        if (--budget < 0)
            throw new ProbeBenchException($"Run config {path} expands to more than {MaxNodes} values (through YAML aliases?); a plan is a few settings.");
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    var key = k is YamlScalarNode { Value: { } name } ? name : throw new ProbeBenchException($"Run config {path}: line {k.Start.Line}: keys must be plain names.");
                    if (obj.ContainsKey(key)) throw new ProbeBenchException($"Run config {path}: line {k.Start.Line}: '{key}' is set twice; each setting may appear once.");
                    obj[key] = ToJson(v, path, ref budget);
                }
                return obj;
            case YamlSequenceNode seq:
                var array = new JsonArray();
                foreach (var child in seq.Children) array.Add(ToJson(child, path, ref budget));
                return array;
            default:
                return Scalar(node);
        }
    }

    private static JsonNode? Scalar(YamlNode node) => node switch
    {
        YamlScalarNode { Value: null or "" or "~" or "null" } s when s.Style == YamlDotNet.Core.ScalarStyle.Plain => null,
        YamlScalarNode s when s.Style == YamlDotNet.Core.ScalarStyle.Plain && int.TryParse(s.Value, out var i) => JsonValue.Create(i),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => null,
    };
}
