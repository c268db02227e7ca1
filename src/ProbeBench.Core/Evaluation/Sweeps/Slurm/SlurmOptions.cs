namespace ProbeBench.Core.Evaluation.Sweeps.Slurm;

/// <summary>
/// How <c>sweep submit --backend slurm</c> asks for resources. Each set option becomes one <c>#SBATCH</c> line of both arrays
/// (the heads array may differ: <see cref="HeadsGres"/>); unset ones are left to the cluster's defaults.
/// </summary>
public sealed record SlurmOptions
{
    /// <summary>How to start probebench on a compute node (the same binary on a shared path), e.g. ["dotnet", "/opt/pb/probebench.dll"].</summary>
    public required IReadOnlyList<string> Command { get; init; }
    public string? Partition { get; init; }
    public string? Account { get; init; }
    /// <summary>Generic resources of each extraction task, e.g. gpu:1.</summary>
    public string? Gres { get; init; }
    /// <summary>Generic resources of each head task (default: none; heads fit on CPUs unless the plan's device is cuda).</summary>
    public string? HeadsGres { get; init; }
    /// <summary>Wall-clock limit per task (Slurm's syntax: minutes, HH:MM:SS, D-HH:MM:SS).</summary>
    public string? Time { get; init; }
    /// <summary>Memory per task (Slurm's syntax: 16G, 4000M).</summary>
    public string? Memory { get; init; }
    public int? CpusPerTask { get; init; }
    /// <summary>At most this many tasks of one array at once (the array's %N).</summary>
    public int? MaxParallel { get; init; }
    /// <summary>Units per array task (default: as few as keep each array within 1000 tasks, Slurm's default MaxArraySize).</summary>
    public int? UnitsPerTask { get; init; }
    /// <summary>More <c>#SBATCH</c> arguments, verbatim (e.g. --qos=long).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];
    /// <summary>Write the scripts without calling sbatch.</summary>
    public bool DryRun { get; init; }
}
