using System.Diagnostics;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Models;
using ProbeBench.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeBench.Core.Evaluation;

/// <summary>Measures backbone forward speed over a <see cref="BenchOptions"/> grid with random weights.</summary>
public static class BackboneBench
{
    public static IEnumerable<BenchResult> Run(BenchOptions options, IProgress<string>? progress = null)
    {
        if (options.Repeats < 1) throw new ProbeBenchException($"--repeats must be at least 1, got {options.Repeats}.");
        var device = TorchRuntime.ResolveDevice(options.Device);
        foreach (var modelName in options.Models)
        {
            var variant = ResolveModel(modelName);
            foreach (var precision in options.Precisions)
            {
                var dtype = PrecisionNames.ToScalarType(precision);
                var weights = DinoV2RandomWeights.Create(variant.Config, options.Seed);
                DinoV2Backbone model;
                try
                {
                    model = DinoV2Backbone.Load(variant.Config, weights, $"random {variant.Name}", dtype, device);
                }
                finally
                {
                    foreach (var w in weights.Values) w.Dispose();
                }
                using (model)
                {
                    var backbone = new DinoV2FeatureBackbone(model);
                    var blocks = LayerChoiceParser.Parse(options.Blocks, variant.Config.Depth).SelectMany(c => c.Blocks).Distinct().ToArray();
                    foreach (var resolution in options.Resolutions)
                        foreach (var batch in options.BatchSizes)
                        {
                            progress?.Report($"{variant.Name} {precision} {resolution}px batch {batch}");
                            yield return Measure(options, variant, backbone, blocks, precision, dtype, device, resolution, batch);
                        }
                }
            }
        }
    }

    /// <summary>Accepts official names and the short forms s, b, l, g, s_reg, ... (reference_bench.py's keys).</summary>
    public static DinoV2Variant ResolveModel(string name)
    {
        var n = name.Trim().ToLowerInvariant();
        var registers = n.EndsWith("_reg", StringComparison.Ordinal);
        var core = registers ? n[..^4] : n;
        return core is "s" or "b" or "l" or "g"
            ? DinoV2Variants.Get($"dinov2_vit{core}14{(registers ? "_reg" : "")}")
            : DinoV2Variants.Get(n);
    }

    private static BenchResult Measure(BenchOptions options, DinoV2Variant variant, DinoV2FeatureBackbone backbone, int[] blocks,
        string precision, ScalarType dtype, Device device, int resolution, int batch)
    {
        if (resolution % variant.Config.PatchSize != 0)
            throw new ProbeBenchException($"--resolution {resolution} is not a multiple of the patch size {variant.Config.PatchSize}.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)options.Seed);
        var input = randn([batch, 3, resolution, resolution], generator: generator).to(dtype, device);

        double Time(Tensor x)
        {
            using var inner = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            backbone.ForwardBlocks(x, blocks);
            if (device.type == DeviceType.CUDA) torch.cuda.synchronize(device);
            return clock.Elapsed.TotalSeconds;
        }

        for (var i = 0; i < options.Warmup; i++) Time(input);
        var seconds = Enumerable.Range(0, options.Repeats).Select(_ => Time(input)).ToList();

        double? p50 = null, p95 = null;
        if (options.Batch1Repeats > 0)
        {
            var single = input[..1].contiguous();
            Time(single);
            var latencies = Enumerable.Range(0, options.Batch1Repeats).Select(_ => Time(single) * 1000).ToList();
            p50 = Percentiles.Of(latencies, 50);
            p95 = Percentiles.Of(latencies, 95);
        }

        var rates = seconds.Select(s => batch / s).ToList();
        return new BenchResult(variant.Name, batch, precision, resolution, device.ToString(), options.Blocks,
            DinoV2Cost.FlopsPerImage(variant.Config, resolution, resolution) / 1e9,
            Percentiles.Of(rates, 50), rates.Min(), rates.Max(), seconds, p50, p95);
    }
}
