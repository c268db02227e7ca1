using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Results;

/// <summary>
/// Reads and writes a run's results: accuracy.csv and speed.csv (<see cref="ResultColumns"/>), and predictions.jsonl, one
/// line per accuracy row with the predicted class of every test sample (what a paired compare needs).
/// </summary>
public static class ResultsCsv
{
    public const string PredictionsFile = "predictions.jsonl";

    /// <summary>The legacy single file of schema 1.</summary>
    public const string LegacyFile = "results.csv";

    /// <summary>Writes the three files into <paramref name="folder"/> through <paramref name="open"/> (a new file each).</summary>
    public static void Write(string folder, IReadOnlyList<ResultRow> rows, Func<string, Stream>? open = null)
    {
        open ??= path => new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        WriteTable(open(Path.Combine(folder, ResultColumns.AccuracyFile)), ResultColumns.Accuracy, rows.Where(r => r.IsAccuracy));
        WriteTable(open(Path.Combine(folder, ResultColumns.SpeedFile)), ResultColumns.Speed, rows.Where(r => r.IsSpeed));
        using var stream = open(Path.Combine(folder, PredictionsFile));
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        foreach (var row in rows.Where(r => r.IsAccuracy && r.Predictions is not null))
            writer.WriteLine(JsonSerializer.Serialize(new PredictionLine(RowIdentity.Key(row), Encode(row.Predictions!), Encode(row.TestLabels ?? []))));
    }

    /// <summary>
    /// The rows of a run folder (or of the folder holding the given accuracy.csv / speed.csv), with their predictions.
    /// </summary>
    public static IReadOnlyList<ResultRow> Read(string path)
    {
        var folder = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
        var accuracy = Path.Combine(folder, ResultColumns.AccuracyFile);
        var speed = Path.Combine(folder, ResultColumns.SpeedFile);
        // Present is anything at the path: a folder or FIFO named accuracy.csv is an error below, never "no accuracy rows".
        static bool Present(string file) => FileKinds.Of(file) != FileKind.Missing;
        if (!Present(accuracy) && !Present(speed))
        {
            if (File.Exists(Path.Combine(folder, LegacyFile)))
                throw new ProbeBenchException($"{folder} holds results of schema 1 (results.csv); this ProbeBench reads schema {ResultColumns.SchemaVersion} (accuracy.csv, speed.csv): rerun it.");
            throw new ProbeBenchException($"{folder} holds no {ResultColumns.AccuracyFile} or {ResultColumns.SpeedFile}; give a run folder.");
        }
        var rows = new List<ResultRow>();
        if (Present(accuracy)) rows.AddRange(ReadTable(accuracy, ResultColumns.Accuracy, new ResultRow()));
        if (Present(speed)) rows.AddRange(ReadTable(speed, ResultColumns.Speed, new ResultRow { Kind = ResultKinds.Bench }));
        var predictions = Path.Combine(folder, PredictionsFile);
        return Present(predictions) ? Attach(rows, predictions) : rows;
    }

    /// <summary>
    /// Largest accuracy.csv or speed.csv read (1 GiB), as a stream. A row is a few hundred bytes (a speed row's timings a
    /// few kB), so a sweep of 100,000 rows writes some hundred MB; a bigger file is not a results table.
    /// </summary>
    public const long MaxTableBytes = 1L << 30;

    /// <summary>
    /// Largest predictions.jsonl read (4 GiB): one line per accuracy row, about 11 bytes per test sample (ImageNet's 50,000:
    /// 0.5 MB a row), and its samples are held in memory while the runs are compared.
    /// </summary>
    public const long MaxPredictionsBytes = 4L << 30;

    /// <summary>Longest predictions.jsonl line (64 Mi characters, some 6 million test samples), refused before it is held whole.</summary>
    public const int MaxPredictionLineChars = 64 << 20;

    private static void WriteTable(Stream stream, IReadOnlyList<ResultColumn> columns, IEnumerable<ResultRow> rows)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        using var csv = CsvWriter.Create(writer, new CsvWriterOptions(), leaveOpen: true);
        csv.WriteRecord(columns.Select(c => c.Name).ToArray());
        foreach (var row in rows) csv.WriteRecord(columns.Select(c => c.Get(row)).ToArray());
    }

    private static List<ResultRow> ReadTable(string path, IReadOnlyList<ResultColumn> columns, ResultRow empty)
    {
        using var stream = InputFiles.OpenRead(path, "Results file", MaxTableBytes);
        try
        {
            // The writer's separator, never one guessed from the first lines: a file in another dialect is refused, not read.
            using var csv = CsvReader.Create(stream, new CsvReaderOptions { TrackLineNumbers = true, Separator = ',' }, leaveOpen: false);
            var header = csv.Headers.ToArray();
            // The writer always writes the header, rows or none: a file without one was cut short or is not a results file.
            if (header.Length == 0)
                throw new ProbeBenchException($"Results file {path} is empty: not even its header row was written (a results file ProbeBench wrote always has one).");
            if (header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
                throw new ProbeBenchException($"Results file {path} names the column {twice.Key} twice in its header; which one holds the values cannot be told.");
            var version = Array.IndexOf(header, "schema_version");
            var missing = columns.Where(c => !c.Optional && !header.Contains(c.Name)).Select(c => c.Name).ToList();
            if (version < 0 || missing.Count > 0)
                throw new ProbeBenchException($"{path} is not a ProbeBench {Path.GetFileName(path)} of schema {ResultColumns.SchemaVersion}: it lacks the column(s) {string.Join(", ", missing.DefaultIfEmpty("schema_version"))}.");
            var rows = new List<ResultRow>();
            while (csv.Read())
            {
                var line = csv.LineNumber;
                if (csv.FieldCount != header.Length)
                    throw new ProbeBenchException($"{path}: line {line} has {csv.FieldCount} fields where the header has {header.Length}; the row is cut short or not a row of this file.");
                if (csv.GetString(version) != ResultColumns.SchemaVersion.ToString(CultureInfo.InvariantCulture))
                    throw new ProbeBenchException($"{path}: line {line} is of schema {csv.GetString(version)}; this ProbeBench reads schema {ResultColumns.SchemaVersion}.");
                var row = empty;
                foreach (var column in columns)
                {
                    if (column.Optional && !header.Contains(column.Name)) continue;
                    var text = csv.GetString(column.Name) ?? "";
                    try
                    {
                        row = column.Set(row, text);
                    }
                    catch (Exception e) when (e is FormatException or OverflowException)
                    {
                        throw new ProbeBenchException($"{path}: line {line}, column {column.Name}: '{text}' is not a valid value ({e.Message}).", inner: e);
                    }
                }
                rows.Add(row);
            }
            return rows;
        }
        catch (Exception e) when (e is CsvFormatException or IOException or UnauthorizedAccessException or KeyNotFoundException)
        {
            throw new ProbeBenchException($"Results file {path} could not be read: {e.Message.Split('\n')[0].Trim()}", inner: e);
        }
    }

    private static List<ResultRow> Attach(List<ResultRow> rows, string path)
    {
        var byKey = new Dictionary<string, (int[] Predicted, int[] Labels)>();
        var number = 0;
        using var stream = InputFiles.OpenRead(path, "The predictions file", MaxPredictionsBytes);
        try
        {
            FormatException TooLong(int line)
            {
                number = line;
                return new FormatException($"it is longer than {MaxPredictionLineChars} characters");
            }
            using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
            foreach (var line in BoundedLines.Read(reader, MaxPredictionLineChars, TooLong))
            {
                number++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                var entry = JsonSerializer.Deserialize<PredictionLine>(line) ?? throw new JsonException("empty line");
                if (entry.Key is null || entry.Predicted is null || entry.Labels is null) throw new JsonException("it lacks Key, Predicted or Labels");
                var (predicted, labels) = (Decode(entry.Predicted), Decode(entry.Labels));
                if (labels.Length > 0 && predicted.Length != labels.Length)
                    throw new FormatException($"{predicted.Length} predictions for {labels.Length} labels");
                byKey[entry.Key] = (predicted, labels);
            }
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new ProbeBenchException($"{path}: line {number} is not a prediction record ({e.Message}).", inner: e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw InputFiles.Unreadable(path, "The predictions file", e);
        }
        return rows.Select(r => r.IsAccuracy && byKey.TryGetValue(RowIdentity.Key(r), out var p) ? r with { Predictions = p.Predicted, TestLabels = p.Labels } : r).ToList();
    }

    /// <summary>One accuracy row's samples: its identity key, and base64 little-endian int32 predicted and true classes.</summary>
    private sealed record PredictionLine(string Key, string Predicted, string Labels);

    private static string Encode(IReadOnlyList<int> values)
    {
        var bytes = new byte[values.Count * 4];
        for (var i = 0; i < values.Count; i++) System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        return Convert.ToBase64String(bytes);
    }

    private static int[] Decode(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        if (bytes.Length % 4 != 0) throw new FormatException("the predictions are not whole 32-bit integers");
        var values = new int[bytes.Length / 4];
        for (var i = 0; i < values.Length; i++) values[i] = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i * 4));
        return values;
    }
}
