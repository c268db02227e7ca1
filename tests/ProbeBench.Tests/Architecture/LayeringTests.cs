using System.Reflection;
using ProbeBench.Core.Evaluation;

namespace ProbeBench.Tests.Architecture;

/// <summary>
/// The arrows of Core run one way: Kernel, then the infrastructure (Runtime, IO), then the stages Weights → Models → Data →
/// Preprocessing → Extraction → Cache → Probes → Metrics → Results, then Heads and Evaluation on top. A type may use its
/// own stage and earlier ones only; Core knows nothing of any UI.
/// </summary>
public sealed class LayeringTests
{
    private static readonly string[] Layers =
        ["Kernel", "Runtime", "IO", "Weights", "Models", "Data", "Preprocessing", "Extraction", "Cache", "Probes", "Metrics", "Results", "Heads", "Evaluation"];

    private static Assembly Core => typeof(RunPlan).Assembly;

    /// <summary>The layer of a Core namespace (sub-namespaces belong to their stage; the root namespace is kernel).</summary>
    internal static string? LayerOf(Type type)
    {
        var ns = type.Namespace ?? "";
        if (ns == "ProbeBench.Core") return "Kernel";
        if (!ns.StartsWith("ProbeBench.Core.", StringComparison.Ordinal)) return null;
        return ns["ProbeBench.Core.".Length..].Split('.')[0];
    }

    /// <summary>Every "Stage.Type uses LaterStage.Type" among <paramref name="types"/>.</summary>
    internal static IReadOnlyList<string> BackwardReferences(IEnumerable<Type> types)
    {
        var problems = new List<string>();
        foreach (var type in types.Where(t => !t.IsNested))
        {
            var layer = LayerOf(type);
            if (layer is null) continue;
            var rank = Array.IndexOf(Layers, layer);
            Assert.True(rank >= 0, $"{type.FullName} is in namespace {type.Namespace}, which belongs to no layer; add it to {nameof(Layers)}.");
            foreach (var used in TypeReferences.Of(type))
            {
                var usedLayer = LayerOf(used);
                if (usedLayer is null || usedLayer == layer) continue;
                if (Array.IndexOf(Layers, usedLayer) > rank)
                    problems.Add($"{layer}.{type.Name} uses {usedLayer}.{used.Name}");
            }
        }
        return problems.Distinct().Order().ToList();
    }

    [Fact]
    public void No_core_stage_references_a_later_stage()
    {
        var problems = BackwardReferences(Core.GetTypes());
        Assert.True(problems.Count == 0, "arrows that run backwards:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Every_core_namespace_belongs_to_a_layer()
    {
        var unknown = Core.GetTypes().Select(LayerOf).OfType<string>().Distinct().Where(l => !Layers.Contains(l)).ToList();
        Assert.Empty(unknown);
    }

    [Fact]
    public void Core_has_no_user_interface()
    {
        var ui = Core.GetReferencedAssemblies().Select(a => a.Name).Where(n => n is "Spectre.Console" or "System.CommandLine").ToList();
        Assert.Empty(ui);
    }

    [Fact]
    public void The_check_finds_a_backward_reference_when_there_is_one()
    {
        var found = BackwardReferences([typeof(Core.Cache.LayeringProbe.UsesAResultRow), typeof(Core.Weights.LayeringProbe.ReadsTheCache)]);
        Assert.Contains("Cache.UsesAResultRow uses Results.ResultRow", found);
        Assert.Contains("Weights.ReadsTheCache uses Cache.FeatureCache", found);
        Assert.Empty(BackwardReferences([typeof(Core.Cache.FeatureCache)]));
    }
}
