namespace ProbeBench.Core.Evaluation.Sweeps.Kubernetes;

/// <summary>What <c>sweep submit --backend k8s</c> puts in the Indexed Job.</summary>
public sealed record IndexedJobOptions
{
    /// <summary>A container image with probebench installed.</summary>
    public required string Image { get; init; }
    /// <summary>The PersistentVolumeClaim that holds the sweep folder and the cache (ReadWriteMany, shared by every pod).</summary>
    public required string VolumeClaim { get; init; }
    /// <summary>Where the claim is mounted in each pod; the sweep folder, cache root and data root must lie under it.</summary>
    public required string MountPath { get; init; }
    public string? Name { get; init; }
    public string? Namespace { get; init; }
    public int? Parallelism { get; init; }
    public int? UnitsPerTask { get; init; }
    /// <summary>nvidia.com/gpu per pod.</summary>
    public int Gpus { get; init; }
    public string? Cpu { get; init; }
    public string? Memory { get; init; }
    /// <summary>How the image starts probebench.</summary>
    public IReadOnlyList<string> Command { get; init; } = ["probebench"];
    /// <summary>Retries of one index before it counts as failed.</summary>
    public int BackoffLimitPerIndex { get; init; } = 2;
}
