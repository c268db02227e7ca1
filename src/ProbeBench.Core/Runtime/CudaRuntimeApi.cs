using System.Runtime.InteropServices;

namespace ProbeBench.Core.Runtime;

/// <summary>
/// The few CUDA runtime calls the pipeline needs (streams and events), found in the libcudart that libtorch_cuda
/// already loaded, plus libtorch's C shim for making a stream current (<c>aoti_torch_create_cuda_stream_guard</c>,
/// <c>aoti_torch_get_current_cuda_stream</c>, in libtorch_cuda since PyTorch 2.3). C signatures only: no C++ ABI.
/// Every failing call throws <see cref="ProbeBenchException"/> with CUDA's own error text.
/// </summary>
internal sealed unsafe class CudaRuntimeApi
{
    // Sonames of the CUDA runtime PyTorch builds link against, newest first.
    private static readonly string[] RuntimeNames = ["libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0", "libcudart.so"];
    private const uint StreamNonBlocking = 1;
    private const uint EventDisableTiming = 2;

    private delegate* unmanaged<int, int> setDevice;
    private delegate* unmanaged<IntPtr*, uint, int> streamCreateWithFlags;
    private delegate* unmanaged<IntPtr, int> streamDestroy;
    private delegate* unmanaged<IntPtr*, uint, int> eventCreateWithFlags;
    private delegate* unmanaged<IntPtr, IntPtr, int> eventRecord;
    private delegate* unmanaged<IntPtr, IntPtr, uint, int> streamWaitEvent;
    private delegate* unmanaged<IntPtr, int> eventSynchronize;
    private delegate* unmanaged<float*, IntPtr, IntPtr, int> eventElapsedTime;
    private delegate* unmanaged<IntPtr, int> eventDestroy;
    private delegate* unmanaged<int, IntPtr> getErrorString;
    private delegate* unmanaged<IntPtr, int, IntPtr*, int> createStreamGuard;
    private delegate* unmanaged<IntPtr, int> deleteStreamGuard;
    private delegate* unmanaged<int, IntPtr*, int> getCurrentStream;

    /// <summary>Which libraries the calls came from.</summary>
    public string Source { get; private init; } = "";

    public static bool TryLoad(out CudaRuntimeApi? api, out string problem)
    {
        api = null;
        var runtime = IntPtr.Zero;
        string? runtimeName = null;
        foreach (var name in RuntimeNames)
            if (NativeLibrary.TryLoad(name, out runtime)) { runtimeName = name; break; }
        if (runtimeName is null)
        {
            problem = $"no CUDA runtime loaded ({string.Join(", ", RuntimeNames)})";
            return false;
        }
        var torchCudaPath = Path.Combine(NativeLibraryLocator.ExternalLibTorchFolder() ?? NativeLibraryLocator.LibTorchFolder(), "libtorch_cuda.so");
        if (!NativeLibrary.TryLoad(torchCudaPath, out var torchCuda))
        {
            problem = $"{torchCudaPath} did not load";
            return false;
        }
        var loaded = new CudaRuntimeApi { Source = $"{runtimeName}, libtorch_cuda C shim" };
        var missing = new List<string>();
        IntPtr Export(IntPtr library, string symbol)
        {
            if (NativeLibrary.TryGetExport(library, symbol, out var address)) return address;
            missing.Add(symbol);
            return IntPtr.Zero;
        }
        loaded.setDevice = (delegate* unmanaged<int, int>)Export(runtime, "cudaSetDevice");
        loaded.streamCreateWithFlags = (delegate* unmanaged<IntPtr*, uint, int>)Export(runtime, "cudaStreamCreateWithFlags");
        loaded.streamDestroy = (delegate* unmanaged<IntPtr, int>)Export(runtime, "cudaStreamDestroy");
        loaded.eventCreateWithFlags = (delegate* unmanaged<IntPtr*, uint, int>)Export(runtime, "cudaEventCreateWithFlags");
        loaded.eventRecord = (delegate* unmanaged<IntPtr, IntPtr, int>)Export(runtime, "cudaEventRecord");
        loaded.streamWaitEvent = (delegate* unmanaged<IntPtr, IntPtr, uint, int>)Export(runtime, "cudaStreamWaitEvent");
        loaded.eventSynchronize = (delegate* unmanaged<IntPtr, int>)Export(runtime, "cudaEventSynchronize");
        loaded.eventElapsedTime = (delegate* unmanaged<float*, IntPtr, IntPtr, int>)Export(runtime, "cudaEventElapsedTime");
        loaded.eventDestroy = (delegate* unmanaged<IntPtr, int>)Export(runtime, "cudaEventDestroy");
        loaded.getErrorString = (delegate* unmanaged<int, IntPtr>)Export(runtime, "cudaGetErrorString");
        loaded.createStreamGuard = (delegate* unmanaged<IntPtr, int, IntPtr*, int>)Export(torchCuda, "aoti_torch_create_cuda_stream_guard");
        loaded.deleteStreamGuard = (delegate* unmanaged<IntPtr, int>)Export(torchCuda, "aoti_torch_delete_cuda_stream_guard");
        loaded.getCurrentStream = (delegate* unmanaged<int, IntPtr*, int>)Export(torchCuda, "aoti_torch_get_current_cuda_stream");
        if (missing.Count > 0)
        {
            problem = $"missing {string.Join(", ", missing)}";
            return false;
        }
        api = loaded;
        problem = "";
        return true;
    }

    public void SetDevice(int device) => Check(setDevice(device), "cudaSetDevice");

    public IntPtr CurrentStream(int device)
    {
        IntPtr stream;
        if (getCurrentStream(device, &stream) != 0) throw new ProbeBenchException($"libtorch could not say which CUDA stream is current on device {device}.");
        return stream;
    }

    public IntPtr CreateNonBlockingStream()
    {
        IntPtr stream;
        Check(streamCreateWithFlags(&stream, StreamNonBlocking), "cudaStreamCreateWithFlags");
        return stream;
    }

    public void DestroyStream(IntPtr stream) => Check(streamDestroy(stream), "cudaStreamDestroy");

    public IntPtr CreateEvent(bool timing)
    {
        IntPtr e;
        Check(eventCreateWithFlags(&e, timing ? 0 : EventDisableTiming), "cudaEventCreateWithFlags");
        return e;
    }

    public void RecordEvent(IntPtr e, IntPtr stream) => Check(eventRecord(e, stream), "cudaEventRecord");

    public void StreamWaitEvent(IntPtr stream, IntPtr e) => Check(streamWaitEvent(stream, e, 0), "cudaStreamWaitEvent");

    public void SynchronizeEvent(IntPtr e) => Check(eventSynchronize(e), "cudaEventSynchronize");

    public double ElapsedMilliseconds(IntPtr start, IntPtr end)
    {
        float ms;
        Check(eventElapsedTime(&ms, start, end), "cudaEventElapsedTime");
        return ms;
    }

    public void DestroyEvent(IntPtr e) => Check(eventDestroy(e), "cudaEventDestroy");

    /// <summary>Makes <paramref name="stream"/> libtorch's current stream on this thread until the result is disposed.</summary>
    public IDisposable EnterStream(IntPtr stream, int device)
    {
        IntPtr guard;
        if (createStreamGuard(stream, device, &guard) != 0) throw new ProbeBenchException($"libtorch refused CUDA stream 0x{stream:x} on device {device}.");
        return new StreamGuard(this, guard);
    }

    private void Check(int status, string call)
    {
        if (status == 0) return;
        var text = getErrorString is null ? null : Marshal.PtrToStringUTF8(getErrorString(status));
        throw new ProbeBenchException($"CUDA {call} failed: {text ?? $"error {status}"}.");
    }

    private sealed class StreamGuard(CudaRuntimeApi api, IntPtr guard) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            api.deleteStreamGuard(guard);
        }
    }
}
