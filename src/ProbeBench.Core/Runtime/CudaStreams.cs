using System.Diagnostics;
using TorchSharp;

namespace ProbeBench.Core.Runtime;

/// <summary>
/// <see cref="IDeviceStreams"/> on a CUDA device. TorchSharp has no stream API, so streams and events come from the
/// CUDA runtime that libtorch_cuda already loaded (<see cref="CudaRuntimeApi"/>), and libtorch is told which stream
/// a thread's ops go to through its AOTInductor C shim (a stream guard). Streams are created non-blocking, so they
/// never serialise with the default stream the backbone runs on. Host buffers are pinned.
/// When the runtime or the shim cannot be found, <see cref="Open"/> falls back to one stream and
/// device-wide synchronisation (correct, no overlap) and says so in <see cref="IDeviceStreams.Description"/>.
/// </summary>
public sealed class CudaStreams : IDeviceStreams
{
    private readonly CudaRuntimeApi api;
    private readonly int device;

    private CudaStreams(CudaRuntimeApi api, int device)
    {
        this.api = api;
        this.device = device;
        api.SetDevice(device);
        Current = new Stream(this, api.CurrentStream(device), owned: false);
    }

    public string Description => $"cuda:{device} (staging stream, events; {api.Source})";

    public IDeviceStream Current { get; }

    public static IDeviceStreams Open(torch.Device device)
    {
        var index = Math.Max(0, (int)device.index);
        return CudaRuntimeApi.TryLoad(out var api, out var problem)
            ? new CudaStreams(api!, index)
            : new SynchronousCudaStreams(device, problem);
    }

    public IDeviceStream CreateStream()
    {
        api.SetDevice(device);
        return new Stream(this, api.CreateNonBlockingStream(), owned: true);
    }

    public torch.Tensor HostBuffer(long[] shape, torch.ScalarType dtype)
    {
        using var plain = torch.empty(shape, dtype);
        return plain.pin_memory();
    }

    public void Dispose() => Current.Dispose();

    private sealed class Stream(CudaStreams owner, IntPtr handle, bool owned) : IDeviceStream
    {
        public IDisposable Enter()
        {
            owner.api.SetDevice(owner.device);
            return owner.api.EnterStream(handle, owner.device);
        }

        public IDeviceEvent Record(bool timing = false)
        {
            owner.api.SetDevice(owner.device);
            var e = owner.api.CreateEvent(timing);
            owner.api.RecordEvent(e, handle);
            return new Event(owner.api, e);
        }

        public void Wait(IDeviceEvent e) => owner.api.StreamWaitEvent(handle, ((Event)e).Handle);

        public void Dispose()
        {
            if (owned) owner.api.DestroyStream(handle);
        }
    }

    private sealed class Event(CudaRuntimeApi api, IntPtr handle) : IDeviceEvent
    {
        private bool disposed;

        public IntPtr Handle => handle;

        public void Synchronize() => api.SynchronizeEvent(handle);

        public double MillisecondsSince(IDeviceEvent start) => api.ElapsedMilliseconds(((Event)start).Handle, handle);

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            api.DestroyEvent(handle);
        }
    }
}

/// <summary>
/// The fallback on CUDA without a usable runtime API: every stream is the default stream (so work is ordered
/// without events), an event's <see cref="IDeviceEvent.Synchronize"/> waits for the whole device, and a timed
/// event waits for it when recorded.
/// </summary>
internal sealed class SynchronousCudaStreams(torch.Device device, string why) : IDeviceStreams
{
    private readonly Stream stream = new(device);

    public string Description => $"{device} (one stream: {why})";

    public IDeviceStream Current => stream;

    public IDeviceStream CreateStream() => stream;

    public torch.Tensor HostBuffer(long[] shape, torch.ScalarType dtype)
    {
        using var plain = torch.empty(shape, dtype);
        return plain.pin_memory();
    }

    public void Dispose() { }

    private sealed class Stream(torch.Device device) : IDeviceStream
    {
        public IDisposable Enter() => new Nothing();

        public IDeviceEvent Record(bool timing = false) => new Event(device, timing);

        public void Wait(IDeviceEvent e) { }

        public void Dispose() { }
    }

    // A timed event waits for the device when it is recorded, so its host time is when the work before it ended.
    private sealed class Event(torch.Device device, bool timing) : IDeviceEvent
    {
        public long RecordedAt { get; } = Recorded(device, timing);

        public void Synchronize() => torch.cuda.synchronize(device);

        public double MillisecondsSince(IDeviceEvent start) => Stopwatch.GetElapsedTime(((Event)start).RecordedAt, RecordedAt).TotalMilliseconds;

        public void Dispose() { }

        private static long Recorded(torch.Device device, bool timing)
        {
            if (timing) torch.cuda.synchronize(device);
            return Stopwatch.GetTimestamp();
        }
    }

    private sealed class Nothing : IDisposable
    {
        public void Dispose() { }
    }
}
