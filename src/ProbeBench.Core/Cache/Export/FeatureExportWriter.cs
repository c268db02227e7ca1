using System.Text.Json;
using Parquet;
using Parquet.Serialization;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Cache.Export;

/// <summary>Writes <see cref="ExportedFeatures"/> as .npy (+ a JSON sidecar), safetensors (metadata inside) or Parquet (+ JSON sidecar).</summary>
public static class FeatureExportWriter
{
    public static readonly string[] Formats = ["npy", "safetensors", "parquet"];

    /// <summary>
    /// Feature values per Parquet row group. The serializer holds a row group in memory, and its default (a million rows) of
    /// wide features would be gigabytes, more than one Parquet page can count.
    /// </summary>
    internal const long ParquetRowGroupBytes = 64L << 20;

    /// <summary>The files <see cref="Write(ExportedFeatures, string, string)"/> writes for a matrix named <paramref name="name"/>, in the order it writes them.</summary>
    public static IReadOnlyList<string> FileNames(string name, string format) => format switch
    {
        "npy" => [$"{name}.features.npy", $"{name}.labels.npy", $"{name}.json"],
        "safetensors" => [$"{name}.safetensors"],
        "parquet" => [$"{name}.parquet", $"{name}.json"],
        _ => throw new ProbeBenchException($"--format: '{format}' is not one of {string.Join(", ", Formats)}."),
    };

    /// <summary>Writes one matrix into <paramref name="folder"/>; returns the files written (each written atomically).</summary>
    public static IReadOnlyList<string> Write(ExportedFeatures e, string folder, string format) =>
        Write(e, folder, format, ArraySlices.DefaultBytes, ParquetRowGroupBytes);

    /// <summary>Writes into a staging folder; errors name the files as they will be called in <paramref name="shownFolder"/>.</summary>
    internal static IReadOnlyList<string> Write(ExportedFeatures e, string folder, string format, string shownFolder) =>
        Write(e, folder, format, ArraySlices.DefaultBytes, ParquetRowGroupBytes, shownFolder);

    /// <param name="sliceBytes">The most bytes of .npy and safetensors data handed to the file at once.</param>
    /// <param name="rowGroupBytes">The feature bytes of one Parquet row group (at least one row).</param>
    internal static IReadOnlyList<string> Write(ExportedFeatures e, string folder, string format, int sliceBytes, long rowGroupBytes, string? shownFolder = null)
    {
        var names = FileNames(e.Name, format);
        var f = e.Features;
        var labels = f.Labels.Select(l => (long)l).ToArray();
        var written = new List<string>();
        string Put(string file, Action<Stream> write)
        {
            var path = Path.Combine(folder, file);
            try
            {
                AtomicFile.Write(path, write);
            }
            catch (ProbeBenchException problem)
            {
                // The writers' own refusals (a header too large for readers) do not know the file they write; a staged file is named as it will be called.
                var shown = Path.Combine(shownFolder ?? folder, file);
                var message = problem.Message.Contains(path, StringComparison.Ordinal) ? problem.Message.Replace(path, shown, StringComparison.Ordinal) : $"{shown}: {problem.Message}";
                if (message == problem.Message) throw;
                throw new ProbeBenchException(message, problem.ExitCode, problem);
            }
            written.Add(path);
            return path;
        }
        var sidecar = JsonSerializer.Serialize(new { classes = e.ClassNames, ids = e.Ids, provenance = JsonDocument.Parse(e.Provenance).RootElement },
            new JsonSerializerOptions { WriteIndented = true });
        switch (format)
        {
            case "npy":
                Put(names[0], s => NpyWriter.Write(s, f.Values, [f.Rows, f.Dim], sliceBytes));
                Put(names[1], s => NpyWriter.Write(s, labels, [f.Rows], sliceBytes));
                Put(names[2], s => s.Write(System.Text.Encoding.UTF8.GetBytes(sidecar)));
                break;
            case "safetensors":
                Put(names[0], s => SafetensorsWriter.Write(s,
                    [SafetensorsWriter.Floats("features", f.Values, f.Rows, f.Dim), SafetensorsWriter.Longs("labels", labels, f.Rows)],
                    new Dictionary<string, string>
                    {
                        ["classes"] = JsonSerializer.Serialize(e.ClassNames), ["ids"] = JsonSerializer.Serialize(e.Ids), ["provenance"] = e.Provenance,
                    }, sliceBytes));
                break;
            case "parquet":
                // Rows are made as the serializer takes them, one row group at a time.
                var rows = Enumerable.Range(0, f.Rows).Select(r => new ParquetFeatureRow
                {
                    Id = e.Ids[r], Label = f.Labels[r], Class = f.Labels[r] < e.ClassNames.Count ? e.ClassNames[f.Labels[r]] : "", Features = f.Row(r).ToArray(),
                });
                var options = new ParquetOptions { RowGroupSize = (int)Math.Clamp(rowGroupBytes / (4L * Math.Max(1, f.Dim)), 1, ParquetOptions.DefaultRowGroupSize) };
                Put(names[0], s => ParquetSerializer.SerializeAsync(rows, s, options).GetAwaiter().GetResult());
                Put(names[1], s => s.Write(System.Text.Encoding.UTF8.GetBytes(sidecar)));
                break;
            default:
                throw new InvalidOperationException($"FileNames knows the format '{format}' but Write does not.");
        }
        return written;
    }
}

/// <summary>One row of an exported Parquet file.</summary>
public sealed class ParquetFeatureRow
{
    public string Id { get; set; } = "";
    public int Label { get; set; }
    public string Class { get; set; } = "";
    public float[] Features { get; set; } = [];
}
