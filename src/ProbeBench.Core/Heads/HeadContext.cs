using ProbeBench.Core.Extraction;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Heads;

/// <summary>
/// What a head runs with: the settings, the row every result starts from (model, dataset, split sizes, extraction
/// settings), and where it reports what it is doing.
/// </summary>
public sealed record HeadContext(
    HeadSettings Settings,
    ResultRow Template,
    Action<string>? Log = null,
    Action<string>? Status = null,
    CancellationToken Cancellation = default)
{
    /// <summary>The dataset's headline metric (<see cref="Kernel.DatasetMetrics"/>), reported in the row's metric columns.</summary>
    public string Metric { get; init; } = Kernel.DatasetMetrics.Top1;

    /// <summary>Multi-label data only: the class targets of the train and test rows.</summary>
    public MultiLabelTargets? TrainTargets { get; init; }
    public MultiLabelTargets? TestTargets { get; init; }

    /// <summary>
    /// A folder the head may write figures into (example predictions), and the same folder relative to the run folder (what
    /// rows and reports name); null when the unit runs outside a run folder.
    /// </summary>
    public string? FiguresFolder { get; init; }
    public string? FiguresRelative { get; init; }

    /// <summary>Progress of a long training: steps done and steps in all.</summary>
    public Action<int, int>? Progress { get; init; }

    /// <summary>Progress of a head's other long work (a C sweep): what, done, in all.</summary>
    public Action<string, int, int>? Report { get; init; }

    /// <summary>The template for a row of <paramref name="head"/> on <paramref name="choice"/>.</summary>
    public ResultRow RowFor(string head, LayerChoice choice) =>
        Template with { Head = head, LayerChoice = choice.Name, BlockIndex = choice.BlockIndex };
}
