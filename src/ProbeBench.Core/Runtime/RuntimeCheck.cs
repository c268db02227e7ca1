using TorchSharp;

namespace ProbeBench.Core.Runtime;

/// <summary>A quick end-to-end check that TorchSharp computes on a device: a seeded matmul compared with a managed one.</summary>
public static class RuntimeCheck
{
    public sealed record Result(string Device, string TorchSharpVersion, double MaxAbsError, NativeLoadReport? Native);

    public static Result Run(string device)
    {
        var target = TorchRuntime.ResolveDevice(device);
        using var scope = torch.NewDisposeScope();
        var generator = new Random(7);
        const int n = 32;
        var a = Enumerable.Range(0, n * n).Select(_ => (float)generator.NextDouble()).ToArray();
        var b = Enumerable.Range(0, n * n).Select(_ => (float)generator.NextDouble()).ToArray();
        var product = torch.matmul(torch.tensor(a, [n, n]).to(target), torch.tensor(b, [n, n]).to(target)).cpu().data<float>().ToArray();
        double worst = 0;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                double expected = 0;
                for (var k = 0; k < n; k++) expected += (double)a[i * n + k] * b[k * n + j];
                worst = Math.Max(worst, Math.Abs(expected - product[i * n + j]));
            }
        return new Result(target.ToString(), typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown", worst, TorchRuntime.Report);
    }
}
