using ProbeBench.Core.Results;

namespace ProbeBench.Cli;

/// <summary>The summary a run prints: the layer verdict first, then the accuracy rows (each head's answers unless all settings are asked for).</summary>
internal static class ResultsTable
{
    public static void Print(IReadOnlyList<ResultRow> rows, string format, bool allSettings)
    {
        TableOutput.Write([ResultTables.Verdicts(LayerVerdict.Of(rows)), ResultTables.Accuracy(rows, allSettings), DenseTable.Of(rows)], format);
        Notes(rows, format, allSettings);
    }

    /// <summary>The lines under the tables, in the human formats only.</summary>
    public static void Notes(IReadOnlyList<ResultRow> rows, string format, bool allSettings)
    {
        if (!rows.Any(r => r.IsAccuracy && !r.IsDense) || TableOutput.Resolve(format) is not ("table" or "markdown")) return;
        if (!allSettings && ResultTables.HiddenSettingsNote(rows) is { } hidden) Console.Out.WriteLine(hidden);
        Console.Out.WriteLine(ResultTables.SelectionNote);
    }
}
