using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ProbeBench.Core;
using ProbeBench.Core.Results;
using Spectre.Console;

namespace ProbeBench.Cli;

/// <summary>
/// Prints tables wherever output goes: a terminal gets boxed tables as wide as the terminal (COLUMNS honoured) whose
/// number columns never wrap; a pipe or file gets plain Markdown; <c>--format</c> picks table, markdown, csv or json.
/// </summary>
internal static class TableOutput
{
    public static readonly string[] Formats = ["auto", "table", "markdown", "csv", "json"];

    public static Option<string> FormatOption()
    {
        var option = new Option<string>("--format")
        {
            Description = "How tables print: auto (boxed in a terminal, Markdown when piped), table, markdown, csv or json.",
            DefaultValueFactory = _ => "auto",
        };
        // Checked when the command line is parsed, so a mistyped format fails before the work, not after it.
        option.Validators.Add(result =>
        {
            if (Problem(result.GetValueOrDefault<string>() ?? "") is { } problem) result.AddError(problem);
        });
        return option;
    }

    private static string? Problem(string requested) =>
        Formats.Contains(requested.Trim().ToLowerInvariant()) ? null : $"--format: '{requested}' is not one of {string.Join(", ", Formats)}.";

    public static Option<bool> AllSettingsOption() => new("--all-settings")
    {
        Description = "Print a row for every setting of each head's grid (k=10, k=20, C=…), not only each head's answer (its setting chosen on validation).",
    };

    /// <summary>The format <paramref name="requested"/> resolves to here (auto: table in a terminal, markdown otherwise).</summary>
    public static string Resolve(string requested)
    {
        var format = requested.Trim().ToLowerInvariant();
        if (Problem(requested) is { } problem) throw new ProbeBenchException(problem);
        return format == "auto" ? (Console.IsOutputRedirected ? "markdown" : "table") : format;
    }

    public static void Write(IEnumerable<TextTable> tables, string format)
    {
        var list = tables.Where(t => t.Rows.Count > 0).ToList();
        switch (Resolve(format))
        {
            case "json":
                Console.Out.WriteLine(JsonSerializer.Serialize(list.Select(t => new
                {
                    title = t.Title,
                    rows = t.Rows.Select(r => t.Headers.Zip(r).ToDictionary(p => p.First, p => p.Second)),
                }), new JsonSerializerOptions { WriteIndented = true }));
                break;
            case "csv":
                foreach (var t in list)
                {
                    Console.Out.WriteLine($"# {t.Title}");
                    Console.Out.WriteLine(string.Join(',', t.Headers.Select(Csv)));
                    foreach (var r in t.Rows) Console.Out.WriteLine(string.Join(',', r.Select(Csv)));
                    Console.Out.WriteLine();
                }
                break;
            case "markdown":
                foreach (var t in list) Console.Out.Write(ResultTables.Markdown(t) + "\n");
                break;
            default:
                var console = Terminal();
                foreach (var t in list) console.Write(Boxed(t));
                break;
        }
    }

    public static void Write(TextTable table, string format) => Write([table], format);

    /// <summary>The console for boxed tables: the terminal's width, or COLUMNS when set.</summary>
    public static IAnsiConsole Terminal()
    {
        var console = AnsiConsole.Console;
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out var columns) && columns > 20)
            console.Profile.Width = columns;
        else if (Console.IsOutputRedirected)
            console.Profile.Width = Math.Max(console.Profile.Width, 240);
        return console;
    }

    private static Table Boxed(TextTable t)
    {
        var table = new Table().Title(Markup.Escape(t.Title));
        for (var i = 0; i < t.Headers.Count; i++)
        {
            var column = new TableColumn(Markup.Escape(t.Headers[i]));
            if (t.Numeric[i] || t.Headers[i].Contains("CI", StringComparison.Ordinal)) column.NoWrap().RightAligned();
            table.AddColumn(column);
        }
        foreach (var r in t.Rows) table.AddRow(r.Select(c => Markup.Escape(c)).ToArray());
        return table;
    }

    private static string Csv(string cell) => cell.IndexOfAny([',', '"', '\n']) < 0 ? cell : $"\"{cell.Replace("\"", "\"\"")}\"";
}
