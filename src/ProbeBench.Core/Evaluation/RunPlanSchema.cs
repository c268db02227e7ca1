using System.Reflection;

namespace ProbeBench.Core.Evaluation;

/// <summary>The plan's fields as <see cref="RunPlan"/> declares them: the file keys (camelCase property names) and their types.</summary>
public static class RunPlanSchema
{
    /// <summary>One plan field.</summary>
    public sealed record Field(string Name, PropertyInfo Property)
    {
        public Type Type => Property.PropertyType;
    }

    public static IReadOnlyList<Field> Fields { get; } = typeof(RunPlan)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite)
        .OrderBy(p => p.MetadataToken)
        .Select(p => new Field(CamelCase(p.Name), p))
        .ToList();

    public static IReadOnlyList<string> Names { get; } = Fields.Select(f => f.Name).ToList();

    public static Field? Find(string name) => Fields.FirstOrDefault(f => f.Name == name);

    public static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    /// <summary>The kebab-case flag a field is written as on the command line (batchSize → --batch-size).</summary>
    public static string FlagName(string field) =>
        "--" + string.Concat(field.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
