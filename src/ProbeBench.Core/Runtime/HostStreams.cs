using System.Diagnostics;
using TorchSharp;

namespace ProbeBench.Core.Runtime;

/// <summary>
/// <see cref="IDeviceStreams"/> for the CPU: libtorch's CPU ops finish before they return, so an event is complete
/// when it is recorded, waiting is free, and host buffers are ordinary tensors. Events keep their host time, so
/// timed events measure wall time.
/// </summary>
public sealed class HostStreams : IDeviceStreams
{
    public string Description => "cpu (synchronous)";

    public IDeviceStream Current { get; } = new Stream();

    public IDeviceStream CreateStream() => new Stream();

    public torch.Tensor HostBuffer(long[] shape, torch.ScalarType dtype) => torch.empty(shape, dtype);

    public void Dispose() { }

    private sealed class Stream : IDeviceStream
    {
        public IDisposable Enter() => Nothing.Instance;

        public IDeviceEvent Record(bool timing = false) => new Event(Stopwatch.GetTimestamp());

        public void Wait(IDeviceEvent e) { }

        public void Dispose() { }
    }

    private sealed class Event(long timestamp) : IDeviceEvent
    {
        public long Timestamp => timestamp;

        public void Synchronize() { }

        public double MillisecondsSince(IDeviceEvent start) =>
            Stopwatch.GetElapsedTime(((Event)start).Timestamp, timestamp).TotalMilliseconds;

        public void Dispose() { }
    }

    private sealed class Nothing : IDisposable
    {
        public static readonly Nothing Instance = new();

        public void Dispose() { }
    }
}
