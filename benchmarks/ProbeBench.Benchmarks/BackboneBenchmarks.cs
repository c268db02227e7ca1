using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using ProbeBench.Core.Models;
using ProbeBench.Core.Models.DinoV2;
using ProbeBench.Core.Runtime;
using static TorchSharp.torch;

namespace ProbeBench.Benchmarks;

/// <summary>
/// DINOv2 ViT-S/14 forward on CPU (random weights, 224², batch 8, fp32) next to the machine's matmul rate,
/// measured in the same run: the "vs matmul bound" columns are (img/s × 12.25 GFLOP) / matmul GFLOP/s, from the
/// mean and from the fastest iteration of each case (on a shared machine the fastest is the least disturbed).
/// The two Linear3D cases check that addmm on a 2-D view is not slower than F.linear on a 3-D input here.
/// </summary>
[Config(typeof(Columns))]
public class BackboneBenchmarks
{
    public const int Batch = 8;
    private const int MatmulSide = 2048;

    private DinoV2Backbone _model = null!;
    private Tensor _images = null!;
    private Tensor _a = null!, _b = null!;
    private Tensor _tokens = null!, _weight = null!, _bias = null!;

    public static double VitSFlopsPerImage => DinoV2Cost.FlopsPerImage(DinoV2Variants.Get("dinov2_vits14").Config);

    [GlobalSetup]
    public void Setup()
    {
        TorchRuntime.EnsureInitialized();
        var config = DinoV2Variants.Get("dinov2_vits14").Config;
        _model = ((DinoV2FeatureBackbone)BackboneFamilies.BuildRandom(config, seed: 0, source: "random ViT-S/14")).Model;
        var generator = new Generator(1);
        _images = randn(Batch, 3, 224, 224, generator: generator);
        _a = randn(MatmulSide, MatmulSide, generator: generator);
        _b = randn(MatmulSide, MatmulSide, generator: generator);
        _tokens = randn(Batch, 257, 384, generator: generator);
        _weight = randn(1536, 384, generator: generator);
        _bias = randn(1536, generator: generator);
    }

    [Benchmark(Description = "ViT-S/14 forward, 8x224x224 fp32")]
    public void VitS14Forward()
    {
        using var scope = NewDisposeScope();
        using var features = _model.ForwardFeatures(_images);
    }

    [Benchmark(Description = "matmul 2048^3 fp32")]
    public void Matmul()
    {
        using var c = _a.mm(_b);
    }

    [Benchmark(Description = "Linear3D F.linear 8x257x384 -> 1536")]
    public void Linear3DFunctional()
    {
        using var y = nn.functional.linear(_tokens, _weight, _bias);
    }

    [Benchmark(Description = "Linear3D addmm on 2-D view")]
    public void Linear3DAddmm()
    {
        using var scope = NewDisposeScope();
        var y = addmm(_bias, _tokens.view(-1, 384), _weight.t(), 1, 1).view(Batch, 257, 1536);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        foreach (var t in new[] { _images, _a, _b, _tokens, _weight, _bias }) t.Dispose();
    }

    public static double MatmulFlops => 2.0 * MatmulSide * MatmulSide * MatmulSide;

    private sealed class Columns : ManualConfig
    {
        public Columns()
        {
            AddColumn(StatisticColumn.Min);
            foreach (var best in new[] { false, true })
                AddColumn(new RateColumn(best), new MatmulBoundColumn(best));
        }
    }

    private static double? Seconds(Summary summary, string method, bool best)
    {
        var stats = summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)?.ResultStatistics;
        return stats is null ? null : (best ? stats.Min : stats.Mean) / 1e9;
    }

    /// <summary>img/s for the forward, GFLOP/s for the matmul.</summary>
    private sealed class RateColumn(bool best) : IColumn
    {
        public string Id => nameof(RateColumn) + best;
        public string ColumnName => best ? "Rate (best)" : "Rate (mean)";
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var method = benchmarkCase.Descriptor.WorkloadMethod.Name;
            var seconds = Seconds(summary, method, best);
            if (seconds is null) return "-";
            return method switch
            {
                nameof(VitS14Forward) => $"{Batch / seconds:F1} img/s",
                nameof(Matmul) => $"{MatmulFlops / seconds / 1e9:F1} GFLOP/s",
                _ => $"{2.0 * Batch * 257 * 384 * 1536 / seconds / 1e9:F1} GFLOP/s",
            };
        }
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => best ? 2 : 0;
        public bool IsNumeric => false;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "img/s for the forward; GFLOP/s for the matmul cases";
    }

    /// <summary>The forward's effective FLOP rate (12.25 GFLOP per image) as a share of the measured matmul rate.</summary>
    private sealed class MatmulBoundColumn(bool best) : IColumn
    {
        public string Id => nameof(MatmulBoundColumn) + best;
        public string ColumnName => best ? "vs matmul bound (best)" : "vs matmul bound (mean)";
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            if (benchmarkCase.Descriptor.WorkloadMethod.Name != nameof(VitS14Forward)) return "-";
            var forward = Seconds(summary, nameof(VitS14Forward), best);
            var matmul = Seconds(summary, nameof(Matmul), best);
            if (forward is null || matmul is null) return "-";
            var modelRate = Batch * VitSFlopsPerImage / forward.Value;
            return $"{modelRate / (MatmulFlops / matmul.Value):P0}";
        }
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => best ? 3 : 1;
        public bool IsNumeric => false;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "forward FLOP rate (12.25 GFLOP/img) / matmul FLOP rate, same run";
    }
}
