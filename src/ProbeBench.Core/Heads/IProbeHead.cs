using ProbeBench.Core.Results;

namespace ProbeBench.Core.Heads;

/// <summary>What a head trains on: one pooled vector per image, or the patch-token grid of each image.</summary>
public enum HeadInput
{
    /// <summary>Layer choices that pool each image into one vector (cls@…, avgpool@…, every-block, …).</summary>
    PooledVectors,

    /// <summary>Layer choices that keep the patch grid (<c>patch@…</c>), for dense heads.</summary>
    PatchGrids,
}

/// <summary>How a head's training relates to the run's layer choices.</summary>
public enum HeadScope
{
    /// <summary>One fit per layer choice; each is its own work unit.</summary>
    EachLayerChoice,

    /// <summary>One fit over every layer choice at once (DINOv2's linear grid picks the best choice itself).</summary>
    AllLayerChoices,
}

/// <summary>
/// A probe head as a plug-in: it says what features it needs and which plan settings it reads, and turns train and test
/// features into result rows. Heads are registered in <see cref="HeadRegistry"/>; a new head is its own folder and one line there.
/// </summary>
public interface IProbeHead
{
    /// <summary>The name in <c>--heads</c> and plans, e.g. <c>logreg</c>.</summary>
    string Name { get; }

    /// <summary>One line for <c>--help</c> and the README.</summary>
    string Summary { get; }

    HeadInput Input { get; }

    HeadScope Scope { get; }

    /// <summary>The plan fields (RunPlan property names, camelCase) this head reads besides seed, device and bootstrapSamples.</summary>
    IReadOnlyList<string> PlanFields { get; }

    /// <summary>Whether the head fits multi-label data (<see cref="HeadContext.TrainTargets"/>) and scores it by mAP.</summary>
    bool SupportsMultiLabel { get; }

    /// <summary>
    /// Trains on <paramref name="train"/> and scores <paramref name="test"/>: the same layer choices in the same order (one
    /// for <see cref="HeadScope.EachLayerChoice"/>), the same rows per split. Returns the rows for accuracy.csv.
    /// </summary>
    IReadOnlyList<ResultRow> Run(IReadOnlyList<LayerFeatures> train, IReadOnlyList<LayerFeatures> test, HeadContext context);
}
