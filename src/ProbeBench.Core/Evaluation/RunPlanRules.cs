using System.Text.RegularExpressions;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Heads;
using ProbeBench.Core.Heads.LogisticRegression;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Preprocessing;

namespace ProbeBench.Core.Evaluation;

/// <summary>
/// The one check of every plan setting, used for plan files (where the error names the file and the field's path) and
/// for command-line flags (where it names the flag). Each rule looks at one value (one item, for lists) and returns why
/// it is wrong, or null.
/// </summary>
public static partial class RunPlanRules
{
    /// <summary>
    /// The largest batch size: far above what fits any accelerator at 224 px, and small enough that every buffer sized
    /// from it stays within an array. Below it, a memory estimate of batch × input size decides (ExtractionMemory).
    /// </summary>
    public const int MaxBatchSize = 16384;

    /// <summary>The most bootstrap resamples: 100× the default 1000 (each one is a pass over the test set).</summary>
    public const int MaxBootstrapSamples = 100_000;

    private static string? Positive(int value) => value > 0 ? null : $"expected a positive integer, got {value}";

    private static string? Between(int value, int max) =>
        Positive(value) ?? (value <= max ? null : $"{value} is beyond the limit of {max}");

    private static string? OneOf(string value, IReadOnlyList<string> allowed) =>
        allowed.Contains(value) ? null : $"'{value}' is not one of {string.Join(", ", allowed)}";

    /// <summary>The rule of each field (RunPlan property names, camelCase) that has one; list rules apply per item.</summary>
    private static readonly Dictionary<string, Func<object, string?>> Rules = new()
    {
        ["layers"] = v => LayerChoiceParser.SyntaxProblem((string)v),
        ["heads"] = v => OneOf((string)v, HeadRegistry.Names),
        ["device"] = v => DevicePattern().IsMatch((string)v) ? null : $"'{v}' is not a device; use auto, cpu, cuda or cuda:N",
        ["precision"] = v => OneOf((string)v, PrecisionNames.All),
        ["batchSize"] = v => Between((int)v, MaxBatchSize),
        // The parser's messages start with the option; the caller names it already.
        ["recipe"] = v => ProblemOf.Check(() => PreprocessRecipes.Parse((string)v)) is { } problem && problem.StartsWith("--recipe ", StringComparison.Ordinal)
            ? problem["--recipe ".Length..]
            : ProblemOf.Check(() => PreprocessRecipes.Parse((string)v)),
        ["limitTrain"] = v => Positive((int)v),
        ["limitTest"] = v => Positive((int)v),
        ["logRegGrid"] = v => LogisticRegressionGrid.Problem((string)v, out _),
        ["knnK"] = v => Positive((int)v),
        ["bootstrapSamples"] = v => Between((int)v, MaxBootstrapSamples),
        ["suite"] = v => ProblemOf.Check(() => Data.DatasetCatalog.LoadDefault().Suite((string)v)),
        ["dense"] = v => OneOf((string)v, Dense.DensePlanning.Modes),
        ["denseSteps"] = v => (int)v > MaxDenseSteps ? $"expected at most {MaxDenseSteps} steps, got {v}" : Positive((int)v),
        ["denseBatchSize"] = v => (int)v > MaxDenseBatchSize ? $"expected at most {MaxDenseBatchSize} images per step, got {v}" : Positive((int)v),
        ["denseLearningRate"] = v => (double)v is > 0 and <= 10 && double.IsFinite((double)v) ? null : $"expected a learning rate in (0, 10], got {v}",
        ["denseUpsample"] = v => (int)v is >= 1 and <= 16 ? null : $"expected an up-sampling factor from 1 to 16, got {v}",
        ["shardRows"] = v => Positive((int)v),
    };

    public const int MaxDenseSteps = 10_000_000;
    public const int MaxDenseBatchSize = 4096;

    /// <summary>Why <paramref name="value"/> (one item, for list fields) is not a valid <paramref name="field"/>, or null.</summary>
    public static string? Check(string field, object value) => Rules.TryGetValue(field, out var rule) ? rule(value) : null;

    /// <summary>
    /// Checks every value of <paramref name="plan"/>; the first problem is an error at <paramref name="where"/>(field, item
    /// index or null), which defaults to <c>plan.field[i]</c>.
    /// </summary>
    public static void Validate(RunPlan plan, Func<string, int?, string>? where = null)
    {
        where ??= (field, index) => $"plan.{field}{(index is { } i ? $"[{i}]" : "")}";
        foreach (var field in RunPlanSchema.Fields)
        {
            switch (field.Property.GetValue(plan))
            {
                case null:
                    continue;
                case System.Collections.IList list when list.Count == 0:
                    throw new ProbeBenchException($"{where(field.Name, null)}: the list is empty.");
                case System.Collections.IList list:
                    for (var i = 0; i < list.Count; i++)
                        if (list[i] is { } item && Check(field.Name, item) is { } problem)
                            throw new ProbeBenchException($"{where(field.Name, i)}: {problem}.");
                    break;
                case var value:
                    if (Check(field.Name, value) is { } single) throw new ProbeBenchException($"{where(field.Name, null)}: {single}.");
                    break;
            }
        }
    }


    [GeneratedRegex(@"^(auto|cpu|cuda|cuda:[0-9]{1,3})$", RegexOptions.IgnoreCase)]
    private static partial Regex DevicePattern();
}
