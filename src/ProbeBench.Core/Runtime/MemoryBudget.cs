using System.Globalization;

namespace ProbeBench.Core.Runtime;

/// <summary>How much memory work may plan on: the host's (container-aware) and, where the CUDA runtime is loaded, the device's.</summary>
public static class MemoryBudget
{
    /// <summary>Physical memory (or the container's limit) as the runtime sees it.</summary>
    public static long HostBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>The memory of <paramref name="device"/> ("cpu", "cuda", "cuda:N"): the host's for cpu; for CUDA the device's total when known, else null.</summary>
    public static long? BytesOf(string device) =>
        device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) ? CudaMemory.TotalBytes() : HostBytes();

    /// <summary>Bytes as a short culture-invariant text ("1.5 GiB").</summary>
    public static string Format(double bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        var unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        return bytes.ToString(unit == 0 ? "0" : "0.#", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
