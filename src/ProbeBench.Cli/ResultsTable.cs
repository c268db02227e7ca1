using ProbeBench.Core.Results;
using Spectre.Console;

namespace ProbeBench.Cli;

/// <summary>The summary table a run prints: accuracy rows, best first within each model and dataset.</summary>
internal static class ResultsTable
{
    public static void Print(IReadOnlyList<ResultRow> rows)
    {
        var accuracy = rows.Where(r => r.Kind == "accuracy").OrderBy(r => r.Model).ThenBy(r => r.Dataset).ThenByDescending(r => r.Top1).ToList();
        if (accuracy.Count == 0) return;
        var table = new Table().Title("Accuracy").AddColumns("model", "dataset", "layer choice", "head", "setting", "top-1 % (95% CI)", "top-5 %", "train s");
        foreach (var r in accuracy)
            table.AddRow(Markup.Escape(r.Model), Markup.Escape(r.Dataset), Markup.Escape(r.LayerChoice), r.Head, Markup.Escape(r.HyperParameter),
                $"{100 * r.Top1:F2} ({100 * r.Top1CiLow:F1}–{100 * r.Top1CiHigh:F1})", $"{100 * r.Top5:F2}", $"{r.HeadTrainSeconds:F2}");
        AnsiConsole.Write(table);
    }
}
