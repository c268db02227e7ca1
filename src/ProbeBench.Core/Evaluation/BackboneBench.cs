using System.Diagnostics;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Models;
using ProbeBench.Core.Evaluation.Units;
using ProbeBench.Core.Preprocessing;
using ProbeBench.Core.Results;
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
        var variants = options.Models.Select(BackboneFamilies.GetVariant).ToList();
        var reference = DeviceSpeed.MatmulGflops(device);
        foreach (var variant in variants)
        {
            var family = BackboneFamilies.Of(variant.Config);
            foreach (var resolution in options.Resolutions)
                if ((resolution > PreprocessRecipes.MaxSide ? $"{resolution} px is beyond the limit of {PreprocessRecipes.MaxSide}" : family.CheckInputSize(variant.Config, resolution, resolution)) is { } problem)
                    throw new ProbeBenchException($"--resolution {resolution}: {problem} of {variant.Name}.");
            // Every grid point is checked before the first is measured, so an impossible one cannot end the grid half way.
            var choices = LayerChoiceParser.Parse(options.Blocks, variant.Config.Depth);
            foreach (var precision in options.Precisions)
                foreach (var resolution in options.Resolutions)
                    foreach (var batch in options.BatchSizes)
                        ExtractionMemory.Check("--batch-sizes", variant.Name, variant.Config, family.Parameters(variant.Config), batch,
                            resolution, resolution, PrecisionNames.ElementBytes(precision), choices, options.Device);
        }
        foreach (var variant in variants)
        {
            var family = BackboneFamilies.Of(variant.Config);
            foreach (var precision in options.Precisions)
            {
                var dtype = PrecisionNames.ToScalarType(precision);
                using var backbone = BackboneFamilies.BuildRandom(variant.Config, options.Seed, dtype, device, $"random {variant.Name}");
                var blocks = LayerChoiceParser.Parse(options.Blocks, variant.Config.Depth).SelectMany(c => c.Blocks).Distinct().ToArray();
                foreach (var resolution in options.Resolutions)
                    foreach (var batch in options.BatchSizes)
                    {
                        progress?.Report($"{variant.Name} {precision} {resolution}px batch {batch}");
                        yield return Measure(options, variant, family, backbone, blocks, precision, dtype, device, resolution, batch) with { ReferenceGflops = reference };
                    }
            }
        }
    }

    /// <summary>Warm-up never stops before this many batches, nor goes on past this many.</summary>
    private const int MaxWarmupFactor = 10;

    private static BenchResult Measure(BenchOptions options, IBackboneVariant variant, IBackboneFamily family, IFeatureBackbone backbone, int[] blocks,
        string precision, ScalarType dtype, Device device, int resolution, int batch)
    {
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

        // Every configuration warms up on its own shapes until two batches in a row agree within 10% (a first, cold
        // configuration needs more than its neighbours).
        var warmup = WarmUp(() => Time(input), options.Warmup);
        var machine = RunEnvironment.Machine();
        var seconds = Enumerable.Range(0, options.Repeats).Select(_ => Time(input)).ToList();

        double? p50 = null, p95 = null;
        List<double> latencies = [];
        if (options.Batch1Repeats > 0)
        {
            var single = input[..1].contiguous();
            WarmUp(() => Time(single), options.Warmup);
            latencies = Enumerable.Range(0, options.Batch1Repeats).Select(_ => Time(single) * 1000).ToList();
            p50 = Percentiles.Of(latencies, 50);
            p95 = Percentiles.Of(latencies, 95);
        }

        var rates = seconds.Select(s => batch / s).ToList();
        return new BenchResult(variant.Name, batch, precision, resolution, device.ToString(), BlockList.Describe(blocks),
            family.FlopsPerImage(variant.Config, resolution, resolution) / 1e9, family.Parameters(variant.Config),
            Percentiles.Of(rates, 50), rates.Min(), rates.Max(), seconds, p50, p95, latencies, warmup, family.Name, machine);
    }

    /// <summary>Runs <paramref name="step"/> at least <paramref name="minimum"/> times and until two runs agree within 10%; returns the count.</summary>
    internal static int WarmUp(Func<double> step, int minimum)
    {
        var count = 0;
        var previous = double.NaN;
        while (count < Math.Max(minimum, 1) * MaxWarmupFactor)
        {
            var seconds = step();
            count++;
            var settled = !double.IsNaN(previous) && Math.Abs(seconds - previous) <= 0.1 * previous;
            previous = seconds;
            if (count >= minimum && settled) break;
        }
        return count;
    }
}
