namespace ProbeBench.Core.Extraction;

/// <summary>What one extraction measured.</summary>
public sealed record ExtractionStats
{
    public int Images { get; init; }
    public int Batches { get; init; }
    public int BatchSize { get; init; }
    public double WallSeconds { get; init; }
    /// <summary>Images per second from the first decode to the last cache write.</summary>
    public double EndToEndImagesPerSecond { get; init; }
    /// <summary>Images per second counting only the backbone forward, feature composition and the copy to the host (device time on CUDA).</summary>
    public double BackboneImagesPerSecond { get; init; }
    public double BatchLatencyP50Ms { get; init; }
    public double BatchLatencyP95Ms { get; init; }
    public double BatchLatencyP99Ms { get; init; }
    /// <summary>Median latency of a single-image forward, or null when not measured.</summary>
    public double? Batch1LatencyMs { get; init; }
    public double DecodeSeconds { get; init; }
    public double TransferSeconds { get; init; }
    public double ComputeSeconds { get; init; }
    public double CacheWriteSeconds { get; init; }
    /// <summary>Seconds the backbone waited for decoded batches (the data path being the bottleneck).</summary>
    public double WaitForDataSeconds { get; init; }
    public long PeakProcessMemoryBytes { get; init; }
    /// <summary>Highest device memory in use seen after a batch (CUDA runs; includes the caching allocator's reserve).</summary>
    public long? PeakDeviceMemoryBytes { get; init; }
    public IReadOnlyList<double> BatchLatenciesMs { get; init; } = [];
    /// <summary>Rows that were already cached and not recomputed (a resumed extraction).</summary>
    public int ResumedFromRow { get; init; }
    /// <summary>How the stages ran: the device streams (or why there was only one) and the writer threads.</summary>
    public string Pipeline { get; init; } = "";
}

/// <summary>Progress of a running extraction.</summary>
public sealed record ExtractionProgress(int Done, int Total, double ImagesPerSecond);
