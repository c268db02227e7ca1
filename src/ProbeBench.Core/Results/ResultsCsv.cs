using CsvHelper;

namespace ProbeBench.Core.Results;

/// <summary>Reads and writes <c>results.csv</c>: one <see cref="ResultRow"/> per record, with a header.</summary>
public static class ResultsCsv
{
    public static void Write(TextWriter writer, IEnumerable<ResultRow> rows)
    {
        using var csv = CsvWriter.Create(writer, CsvWriterOptions.For<ResultRow>(), leaveOpen: true);
        csv.WriteRecords(rows);
    }

    public static IReadOnlyList<ResultRow> Read(string path)
    {
        if (!File.Exists(path)) throw new ProbeBenchException($"Results file {path} does not exist.");
        try
        {
            using var reader = CsvReader.Create(new StreamReader(path), CsvReaderOptions.For<ResultRow>(), leaveOpen: false);
            return reader.GetRecords<ResultRow>().ToList();
        }
        catch (Exception e) when (e is CsvFormatException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            throw new ProbeBenchException($"Results file {path} is not a ProbeBench results.csv: {FirstLine(e.InnerException?.Message ?? e.Message)}", inner: e);
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
