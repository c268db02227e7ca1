using ProbeBench.Core.Results;

namespace ProbeBench.Core.Heads;

/// <summary>A head's description in one line of its declaration; a head then only implements how it trains.</summary>
public abstract class ProbeHead(string name, string summary, HeadInput input, HeadScope scope, params string[] planFields) : IProbeHead
{
    public string Name => name;
    public string Summary => summary;
    public HeadInput Input => input;
    public HeadScope Scope => scope;
    public IReadOnlyList<string> PlanFields => planFields;
    public virtual bool SupportsMultiLabel => false;

    public abstract IReadOnlyList<ResultRow> Run(IReadOnlyList<LayerFeatures> train, IReadOnlyList<LayerFeatures> test, HeadContext context);
}

/// <summary>A head fitted on one layer choice at a time (<see cref="HeadScope.EachLayerChoice"/>).</summary>
public abstract class EachChoiceHead(string name, string summary, HeadInput input, params string[] planFields)
    : ProbeHead(name, summary, input, HeadScope.EachLayerChoice, planFields)
{
    public sealed override IReadOnlyList<ResultRow> Run(IReadOnlyList<LayerFeatures> train, IReadOnlyList<LayerFeatures> test, HeadContext context) =>
        train.Count == 1 && test.Count == 1 && train[0].Choice.Name == test[0].Choice.Name
            ? Run(train[0], test[0], context)
            : throw new ArgumentException($"head {Name} fits one layer choice at a time; got {train.Count} train and {test.Count} test choices.");

    /// <summary>Fits on <paramref name="train"/> and scores <paramref name="test"/> (the same layer choice).</summary>
    protected abstract IReadOnlyList<ResultRow> Run(LayerFeatures train, LayerFeatures test, HeadContext context);
}
