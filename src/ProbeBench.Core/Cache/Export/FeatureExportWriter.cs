using System.Text.Json;
using Parquet.Serialization;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Cache.Export;

/// <summary>Writes <see cref="ExportedFeatures"/> as .npy (+ a JSON sidecar), safetensors (metadata inside) or Parquet (+ JSON sidecar).</summary>
public static class FeatureExportWriter
{
    public static readonly string[] Formats = ["npy", "safetensors", "parquet"];

    /// <summary>Writes one matrix into <paramref name="folder"/>; returns the files written (each written atomically).</summary>
    public static IReadOnlyList<string> Write(ExportedFeatures e, string folder, string format)
    {
        var f = e.Features;
        var labels = f.Labels.Select(l => (long)l).ToArray();
        var written = new List<string>();
        string Put(string file, Action<Stream> write)
        {
            var path = Path.Combine(folder, file);
            AtomicFile.Write(path, write);
            written.Add(path);
            return path;
        }
        var sidecar = JsonSerializer.Serialize(new { classes = e.ClassNames, ids = e.Ids, provenance = JsonDocument.Parse(e.Provenance).RootElement },
            new JsonSerializerOptions { WriteIndented = true });
        switch (format)
        {
            case "npy":
                Put($"{e.Name}.features.npy", s => NpyWriter.Write(s, f.Values, f.Rows, f.Dim));
                Put($"{e.Name}.labels.npy", s => NpyWriter.Write(s, labels, f.Rows));
                Put($"{e.Name}.json", s => s.Write(System.Text.Encoding.UTF8.GetBytes(sidecar)));
                break;
            case "safetensors":
                Put($"{e.Name}.safetensors", s => SafetensorsWriter.Write(s,
                    [SafetensorsWriter.Floats("features", f.Values, f.Rows, f.Dim), SafetensorsWriter.Longs("labels", labels, f.Rows)],
                    new Dictionary<string, string>
                    {
                        ["classes"] = JsonSerializer.Serialize(e.ClassNames), ["ids"] = JsonSerializer.Serialize(e.Ids), ["provenance"] = e.Provenance,
                    }));
                break;
            case "parquet":
                var rows = Enumerable.Range(0, f.Rows).Select(r => new ParquetFeatureRow
                {
                    Id = e.Ids[r], Label = f.Labels[r], Class = f.Labels[r] < e.ClassNames.Count ? e.ClassNames[f.Labels[r]] : "", Features = f.Row(r).ToArray(),
                }).ToList();
                Put($"{e.Name}.parquet", s => ParquetSerializer.SerializeAsync(rows, s).GetAwaiter().GetResult());
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
