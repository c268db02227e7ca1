using ProbeBench.Core.Results;

namespace ProbeBench.Cli;

/// <summary>The summary a run prints: the layer verdict first, then the accuracy rows.</summary>
internal static class ResultsTable
{
    public static void Print(IReadOnlyList<ResultRow> rows, string format)
    {
        TableOutput.Write([ResultTables.Verdicts(LayerVerdict.Of(rows)), ResultTables.Accuracy(rows), DenseTable.Of(rows)], format);
        if (rows.Any(r => r.IsAccuracy && !r.IsDense) && TableOutput.Resolve(format) is "table" or "markdown") Console.Out.WriteLine(ResultTables.SelectionNote);
    }
}
