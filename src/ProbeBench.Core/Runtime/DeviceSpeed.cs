using System.Diagnostics;
using static TorchSharp.torch;

namespace ProbeBench.Core.Runtime;

/// <summary>
/// A speed reference measured in the same run as the figures it calibrates: the device's matrix-multiply rate. Speed
/// rows carry it so two runs on different (or differently loaded) machines compare as ratios to their own machine.
/// </summary>
public static class DeviceSpeed
{
    private const int Side = 768;

    /// <summary>
    /// The GFLOP/s of the fastest of repeated <c>Side</c>³ fp32 matmuls on <paramref name="device"/>, after a warm-up (on a
    /// shared machine the fastest repeat is the least disturbed one, so the reference tracks the machine, not its neighbours).
    /// </summary>
    public static double MatmulGflops(Device device, int repeats = 15)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator(7);
        var a = randn([Side, Side], generator: generator).to(device);
        var b = randn([Side, Side], generator: generator).to(device);
        var times = new List<double>();
        for (var i = 0; i < repeats + 3; i++)
        {
            using var inner = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            a.mm(b);
            if (device.type == TorchSharp.DeviceType.CUDA) cuda.synchronize(device);
            if (i >= 3) times.Add(clock.Elapsed.TotalSeconds);
        }
        return 2.0 * Side * Side * Side / times.Min() / 1e9;
    }
}
