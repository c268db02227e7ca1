using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using ProbeBench.Core.Models;
using ProbeBench.Core.Runtime;
using static TorchSharp.torch;

namespace ProbeBench.Benchmarks;

/// <summary>
/// The two families' small ViTs side by side on CPU (random weights, 224², batch 8, fp32, the pass extraction makes for
/// cls@last): DINOv2 ViT-S/14 is the baseline, so BenchmarkDotNet's Ratio compares time per batch, and the GFLOP/s
/// column compares the rate per matmul FLOP (ViT-S/16 has 196 patches + 5 prefix tokens and 9.40 GFLOP per image,
/// ViT-S/14 has 256 + 1 and 12.25). What DINOv3 adds per block (RoPE on q and k, LayerScale applied rather than folded,
/// the masked qkv bias) shows as a lower GFLOP/s.
/// </summary>
[Config(typeof(Columns))]
public class FamilyBenchmarks
{
    public const int Batch = 8;

    private IBackboneModel _dinov2 = null!, _dinov3 = null!;
    private Tensor _images = null!;

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        _dinov2 = BackboneFamilies.BuildRandom(BackboneFamilies.GetVariant("dinov2_vits14").Config, seed: 0);
        _dinov3 = BackboneFamilies.BuildRandom(BackboneFamilies.GetVariant("dinov3_vits16").Config, seed: 0);
        _images = randn(Batch, 3, 224, 224, generator: new Generator(1));
    }

    [Benchmark(Baseline = true, Description = "DINOv2 ViT-S/14 forward, 8x224x224 fp32")]
    public void Dinov2VitS14() => Forward(_dinov2);

    [Benchmark(Description = "DINOv3 ViT-S/16 forward, 8x224x224 fp32")]
    public void Dinov3VitS16() => Forward(_dinov3);

    private void Forward(IBackboneModel model)
    {
        using var scope = NewDisposeScope();
        model.ForwardBlocks(_images, [model.Depth - 1]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _dinov2.Dispose();
        _dinov3.Dispose();
        _images.Dispose();
    }

    private static double FlopsPerImage(string model)
    {
        var config = BackboneFamilies.GetVariant(model).Config;
        return BackboneFamilies.Of(config).FlopsPerImage(config, 224, 224);
    }

    private sealed class Columns : ManualConfig
    {
        public Columns()
        {
            AddColumn(StatisticColumn.Min);
            AddColumn(new FlopRateColumn(best: false), new FlopRateColumn(best: true));
        }
    }

    /// <summary>Matmul GFLOP per second of the forward, from the mean and from the fastest iteration.</summary>
    private sealed class FlopRateColumn(bool best) : IColumn
    {
        public string Id => nameof(FlopRateColumn) + best;
        public string ColumnName => best ? "GFLOP/s (best)" : "GFLOP/s (mean)";
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var stats = summary[benchmarkCase]?.ResultStatistics;
            if (stats is null) return "-";
            var model = benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(Dinov2VitS14) ? "dinov2_vits14" : "dinov3_vits16";
            var seconds = (best ? stats.Min : stats.Mean) / 1e9;
            return $"{Batch * FlopsPerImage(model) / seconds / 1e9:F1}";
        }
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => best ? 1 : 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "matmul FLOPs of the forward (the family's cost model) per second";
    }
}
