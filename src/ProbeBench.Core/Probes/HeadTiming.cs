using System.Diagnostics;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Kernel;

namespace ProbeBench.Core.Probes;

/// <summary>
/// How fast a head is: <paramref name="TrainSeconds"/> for its whole training protocol (sweeps included),
/// <paramref name="InferenceSamplesPerSecond"/> scoring the whole test set in one call, and
/// <paramref name="LatencyMsPerSample"/>, the median time to score one sample on its own.
/// </summary>
public sealed record HeadTiming(double TrainSeconds, double InferenceSamplesPerSecond, double LatencyMsPerSample)
{
    /// <summary>How many single samples the latency median is taken over (at most; fewer when the test set is smaller).</summary>
    public const int LatencySamples = 32;

    /// <summary>
    /// Times <paramref name="predictAll"/> once for throughput, then <paramref name="predictOne"/> on the first
    /// <see cref="LatencySamples"/> rows (after one warm-up call) for the median single-sample latency.
    /// </summary>
    public static (T Result, HeadTiming Timing) Measure<T>(TimeSpan trainTime, int samples, Func<T> predictAll, Action<int> predictOne)
    {
        if (samples <= 0) throw new ProbeBenchException("Head timing needs at least one test sample.");
        var clock = Stopwatch.StartNew();
        var result = predictAll();
        var batchSeconds = clock.Elapsed.TotalSeconds;

        predictOne(0);
        var latencies = new double[Math.Min(samples, LatencySamples)];
        for (var i = 0; i < latencies.Length; i++)
        {
            clock.Restart();
            predictOne(i);
            latencies[i] = clock.Elapsed.TotalMilliseconds;
        }
        return (result, new HeadTiming(trainTime.TotalSeconds, samples / Math.Max(batchSeconds, 1e-9), Percentiles.Of(latencies, 50)));
    }
}
