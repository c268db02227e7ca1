using System.Runtime.InteropServices;
using TorchSharp;

namespace ProbeBench.Core.Runtime;

/// <summary>
/// Copies tensor data into managed arrays with one memcpy. TorchSharp's <c>data&lt;T&gt;().ToArray()</c> walks an
/// index enumerator element by element (tens of ns each): on the GPU extraction path it cost more than the forward.
/// </summary>
public static class TensorCopy
{
    /// <summary>All elements of <paramref name="tensor"/> (moved to the CPU and made contiguous when needed), row-major.</summary>
    public static T[] ToArray<T>(torch.Tensor tensor) where T : unmanaged
    {
        using var host = tensor.device_type == DeviceType.CPU && tensor.is_contiguous() ? tensor.alias() : tensor.cpu().contiguous();
        if (Marshal.SizeOf<T>() != host.element_size())
            throw new ArgumentException($"A {host.dtype} tensor cannot be read as {typeof(T).Name}.", nameof(tensor));
        return host.numel() == 0 ? [] : MemoryMarshal.Cast<byte, T>(host.bytes).ToArray();
    }
}
