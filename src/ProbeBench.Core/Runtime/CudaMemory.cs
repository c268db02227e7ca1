using System.Runtime.InteropServices;

namespace ProbeBench.Core.Runtime;

/// <summary>
/// Device memory in use (total − free, from the CUDA runtime's cudaMemGetInfo), for peak-memory figures.
/// TorchSharp exposes no CUDA memory statistics; the runtime library is already loaded by libtorch_cuda, so it
/// is found by soname. Returns null where no CUDA runtime is loaded (CPU runs).
/// </summary>
public static unsafe class CudaMemory
{
    private static readonly Lazy<nint> MemGetInfo = new(FindMemGetInfo);

    public static long? UsedBytes()
    {
        var function = MemGetInfo.Value;
        if (function == 0) return null;
        nuint free, total;
        var status = ((delegate* unmanaged<nuint*, nuint*, int>)function)(&free, &total);
        return status == 0 ? (long)(total - free) : null;
    }

    /// <summary>The current device's total memory, or null where no CUDA runtime is loaded.</summary>
    public static long? TotalBytes()
    {
        var function = MemGetInfo.Value;
        if (function == 0) return null;
        nuint free, total;
        var status = ((delegate* unmanaged<nuint*, nuint*, int>)function)(&free, &total);
        return status == 0 ? (long)total : null;
    }

    private static nint FindMemGetInfo()
    {
        foreach (var name in new[] { "libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0", "libcudart.so" })
            if (NativeLibrary.TryLoad(name, out var handle) && NativeLibrary.TryGetExport(handle, "cudaMemGetInfo", out var export))
                return export;
        return 0;
    }
}
