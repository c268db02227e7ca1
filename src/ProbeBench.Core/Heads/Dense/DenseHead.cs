using ProbeBench.Core.Data.Dense;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Heads.Dense;

/// <summary>
/// A head that trains on patch grids and per-pixel labels (depth, segmentation), one layer choice at a time. The work
/// unit hands it streamed splits (<see cref="DenseSplit"/>) instead of in-memory feature sets, so no split has to fit in
/// memory; it runs only on datasets of its <see cref="Task"/>.
/// </summary>
public abstract class DenseHead(string name, string summary, DenseTask task, params string[] planFields)
    : ProbeHead(name, summary, HeadInput.PatchGrids, HeadScope.EachLayerChoice, planFields)
{
    /// <summary>The dataset task this head needs.</summary>
    public DenseTask Task => task;

    /// <summary>The layer choices the head reads when the plan names no patch@… choice (DINOv2's lin. 1 and lin. 4).</summary>
    public virtual IReadOnlyList<string> DefaultChoices => ["patch@lin1", "patch@lin4"];

    public sealed override IReadOnlyList<ResultRow> Run(IReadOnlyList<LayerFeatures> train, IReadOnlyList<LayerFeatures> test, HeadContext context) =>
        throw new InvalidOperationException($"head {Name} reads patch grids from the cache as it trains; run it through its work unit (RunDense).");

    /// <summary>Trains on <paramref name="train"/> and scores <paramref name="test"/> for layer choice <paramref name="choice"/>.</summary>
    public abstract IReadOnlyList<ResultRow> RunDense(LayerChoice choice, DenseSplit train, DenseSplit test, HeadContext context);
}
