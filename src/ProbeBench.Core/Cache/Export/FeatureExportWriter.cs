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

    /// <summary>Writes one matrix into <paramref name="folder"/>; returns the files written (each written atomically).</summary>
    public static IReadOnlyList<string> Write(ExportedFeatures e, string folder, string format) =>
        Write(e, folder, format, ArraySlices.DefaultBytes, ParquetRowGroupBytes);

    /// <param name="sliceBytes">The most bytes of .npy and safetensors data handed to the file at once.</param>
    /// <param name="rowGroupBytes">The feature bytes of one Parquet row group (at least one row).</param>
    internal static IReadOnlyList<string> Write(ExportedFeatures e, string folder, string format, int sliceBytes, long rowGroupBytes)
    {
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
            catch (ProbeBenchException problem) when (!problem.Message.Contains(path, StringComparison.Ordinal))
            {
                // The writers' own refusals (a header too large for readers) do not know the file they write.
                throw new ProbeBenchException($"{path}: {problem.Message}", problem.ExitCode, problem);
            }
            written.Add(path);
            return path;
        }
        var sidecar = JsonSerializer.Serialize(new { classes = e.ClassNames, ids = e.Ids, provenance = JsonDocument.Parse(e.Provenance).RootElement },
            new JsonSerializerOptions { WriteIndented = true });
        switch (format)
        {
            case "npy":
                Put($"{e.Name}.features.npy", s => NpyWriter.Write(s, f.Values, [f.Rows, f.Dim], sliceBytes));
                Put($"{e.Name}.labels.npy", s => NpyWriter.Write(s, labels, [f.Rows], sliceBytes));
                Put($"{e.Name}.json", s => s.Write(System.Text.Encoding.UTF8.GetBytes(sidecar)));
                break;
            case "safetensors":
                Put($"{e.Name}.safetensors", s => SafetensorsWriter.Write(s,
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
                Put($"{e.Name}.parquet", s => ParquetSerializer.SerializeAsync(rows, s, options).GetAwaiter().GetResult());
                Put($"{e.Name}.json", s => s.Write(System.Text.Encoding.UTF8.GetBytes(sidecar)));
                break;
            default:
                throw new ProbeBenchException($"--format: '{format}' is not one of {string.Join(", ", Formats)}.");
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
