using System.Diagnostics;
using ProbeBench.Core.Runtime;
using static TorchSharp.torch;

namespace ProbeBench.Core.Evaluation.Sweeps;

/// <summary>A device's sustained matrix-multiply rate, measured here: the rate sweep estimates divide work by.</summary>
public static class DeviceRate
{
    /// <summary>GFLOP/s of fp32 1024² matrix products on <paramref name="device"/>, best of a few repeats of ~0.1 s.</summary>
    public static double MeasureGflops(string device)
    {
        var target = TorchRuntime.ResolveDevice(device);
        using var scope = NewDisposeScope();
        const int n = 1024;
        var a = rand(n, n, device: target);
        var b = rand(n, n, device: target);
        matmul(a, b).Dispose();
        var best = 0.0;
        for (var repeat = 0; repeat < 3; repeat++)
        {
            var clock = Stopwatch.StartNew();
            var products = 0;
            while (clock.Elapsed.TotalSeconds < 0.1)
            {
                using var c = matmul(a, b);
                _ = c.sum().item<float>();
                products++;
            }
            best = Math.Max(best, products * 2.0 * n * n * n / clock.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }
}
