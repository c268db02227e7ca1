using ProbeBench.Core.Extraction;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Models;
using ProbeBench.Core.Results;

namespace ProbeBench.Core.Evaluation.Units;

/// <summary>
/// The speed row of one extraction. The first batches run cold (allocations, kernel selection): they are reported as
/// <see cref="ResultRow.ColdBatchMs"/> and kept out of every other figure, which come from the warm batches alone.
/// </summary>
public static class ExtractionRows
{
    /// <summary>Batches counted as cold at the start of a pass (fewer when the pass is short).</summary>
    public const int ColdBatches = 2;

    public static ResultRow Of(ExtractUnit unit, LoadedBackbone backbone, IReadOnlyList<LayerChoice> choices, UnitRecord record, MachineFacts machine)
    {
        var row = new ResultRow
        {
            Kind = ResultKinds.Extraction, Model = backbone.Name, RandomWeights = BackboneLoader.IsRandom(unit.Model), Family = backbone.Family.Name,
            Parameters = backbone.Parameters, CheckpointSha256 = backbone.CheckpointSha256,
            Dataset = record.Dataset ?? unit.Dataset.Name, SyntheticData = record.SyntheticData, DatasetFingerprint = record.DatasetFingerprint,
            Split = unit.Shard is { } k ? $"{record.Split} shard {k + 1}/{unit.Shards}" : record.Split, LayerChoice = BlockList.Describe(choices.SelectMany(c => c.Blocks)), FromCache = record.FromCache,
            BatchSize = unit.BatchSize, Precision = unit.Precision, Device = unit.Device, Recipe = unit.Recipe, Seed = unit.Seed,
            Resolution = record.InputHeight,
            GflopPerImage = record.InputHeight is > 0 and var h && record.InputWidth is > 0 and var w
                ? backbone.Family.FlopsPerImage(backbone.Config, h, w) / 1e9 : null,
            Threads = machine.Threads, Cpu = machine.Cpu, LoadAverage = machine.LoadAverage, Gpu = machine.Gpu, GpuDriver = machine.GpuDriver,
        };
        if (record.Stats is not { } s) return row;

        var all = s.BatchLatenciesMs;
        var cold = all.Count > ColdBatches + 1 ? ColdBatches : all.Count > 1 ? 1 : 0;
        var warm = all.Skip(cold).ToList();
        // A partial last batch is timed too but holds fewer images; rates use each batch's own size.
        var rates = warm.Select((ms, i) => BatchImages(s, cold + i) * 1000 / ms).ToList();
        return row with
        {
            Images = s.Images, WarmupBatches = cold,
            ImagesPerSecond = s.EndToEndImagesPerSecond, BackboneImagesPerSecond = s.BackboneImagesPerSecond,
            ImagesPerSecondMin = rates.Count > 0 ? rates.Min() : null, ImagesPerSecondMax = rates.Count > 0 ? rates.Max() : null,
            BatchLatencyP50Ms = Percentiles.Of(warm, 50), BatchLatencyP95Ms = Percentiles.Of(warm, 95), BatchLatencyP99Ms = Percentiles.Of(warm, 99),
            ColdBatchMs = cold > 0 ? all.Take(cold).Average() : null,
            Batch1LatencyP50Ms = s.Batch1LatencyMs, BatchMs = warm,
        };
    }

    private static double BatchImages(ExtractionStats s, int batch) =>
        batch < s.Batches - 1 || s.Images % s.BatchSize == 0 ? s.BatchSize : s.Images % s.BatchSize;
}

/// <summary>Block lists in short form: 0-11, or 3,6,9,11.</summary>
public static class BlockList
{
    public static string Describe(IEnumerable<int> blocks)
    {
        var sorted = blocks.Distinct().Order().ToList();
        if (sorted.Count == 0) return "";
        return sorted.Count > 2 && sorted[^1] - sorted[0] == sorted.Count - 1 ? $"{sorted[0]}-{sorted[^1]}" : string.Join(',', sorted);
    }
}
