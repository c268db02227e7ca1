using System.Globalization;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Metrics;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Heads.Dense;

/// <summary>What dense heads share: the first test images they show, and the figure's file name.</summary>
internal static class DenseRows
{
    /// <summary>Test images shown in a head's example strip.</summary>
    public const int Examples = 4;

    public static BootstrapOptions Bootstrap(HeadSettings settings) => new(settings.BootstrapSamples, settings.Seed);

    /// <summary>The figure's path in the unit's folder and relative to the run folder, or nulls outside a run folder.</summary>
    public static (string? Path, string? Relative) Figure(HeadContext context, string head, LayerChoice choice)
    {
        if (context.FiguresFolder is null) return (null, null);
        var name = $"{head}_examples_{new string(choice.Name.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray())}.png";
        return (Path.Combine(context.FiguresFolder, name), context.FiguresRelative is null ? name : $"{context.FiguresRelative}/{name}");
    }

    public static string Rate(double value) => value.ToString("G3", CultureInfo.InvariantCulture);
}
