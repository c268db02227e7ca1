namespace ProbeBench.Core.Evaluation.Units;

/// <summary>A plan expanded: its cells and its work units in an order that runs every dependency first.</summary>
public sealed record RunGraph(RunPlan Plan, IReadOnlyList<RunCell> Cells, IReadOnlyList<WorkUnit> Units, IReadOnlyList<string> Notes)
{
    public WorkUnit Get(string id) =>
        Units.FirstOrDefault(u => u.Id == id)
        ?? throw new ProbeBenchException($"The plan has no work unit '{id}'; it has {Units.Count} ({string.Join(", ", Units.Take(4).Select(u => u.Id))}{(Units.Count > 4 ? ", …" : "")}).");
}
