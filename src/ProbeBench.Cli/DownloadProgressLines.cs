using System.Diagnostics;
using ProbeBench.Core.IO;

namespace ProbeBench.Cli;

/// <summary>
/// Download progress as a line per 10% (or per 50 MB when the size is unknown), with the rate: it can run
/// between the live extraction bars, which a second live display could not.
/// </summary>
internal sealed class DownloadProgressLines : IProgress<DownloadProgress>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string? _file;
    private long _lastStep = -1;

    public void Report(DownloadProgress value)
    {
        if (value.FileName != _file)
        {
            _file = value.FileName;
            _lastStep = -1;
            _clock.Restart();
        }
        var step = value.TotalBytes is { } total and > 0 ? value.BytesReceived * 10 / total : value.BytesReceived / (50L << 20);
        if (step == _lastStep) return;
        _lastStep = step;
        var rate = value.BytesReceived / Math.Max(_clock.Elapsed.TotalSeconds, 1e-3) / (1 << 20);
        var of = value.TotalBytes is { } t ? $" of {t / (double)(1 << 20):N0} MiB ({100.0 * value.BytesReceived / t:F0} %)" : "";
        Console.Error.WriteLine($"downloading {value.FileName}: {value.BytesReceived / (double)(1 << 20):N0} MiB{of}, {rate:N1} MiB/s");
    }
}
