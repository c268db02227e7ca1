using TorchSharp;

namespace ProbeBench.Core.Runtime;

/// <summary>
/// Ordered queues of device work and markers in them, as the extraction pipeline needs them: the stream the
/// backbone runs on, a second stream for uploads and preprocessing, events that order one after the other
/// without blocking the host, and host memory the device copies from and to asynchronously.
/// On the CPU (<see cref="HostStreams"/>) work is done when it is issued, so every event is complete at once;
/// on CUDA (<see cref="CudaStreams"/>) they are CUDA streams and events.
/// </summary>
public interface IDeviceStreams : IDisposable
{
    /// <summary>What the pipeline runs on, in words (for stats and logs).</summary>
    string Description { get; }

    /// <summary>The stream the calling thread's work goes to now (the backbone's).</summary>
    IDeviceStream Current { get; }

    /// <summary>A new stream whose work may overlap <see cref="Current"/>'s.</summary>
    IDeviceStream CreateStream();

    /// <summary>An uninitialised host tensor the device can copy from and to without staging (pinned memory on CUDA).</summary>
    torch.Tensor HostBuffer(long[] shape, torch.ScalarType dtype);
}

/// <summary>One stream of device work.</summary>
public interface IDeviceStream : IDisposable
{
    /// <summary>Makes this the calling thread's stream until the result is disposed.</summary>
    IDisposable Enter();

    /// <summary>An event that completes when all work issued to this stream so far has; <paramref name="timing"/> lets it be timed.</summary>
    IDeviceEvent Record(bool timing = false);

    /// <summary>Work issued to this stream after this call starts only once <paramref name="e"/> completed (the host does not wait).</summary>
    void Wait(IDeviceEvent e);
}

/// <summary>A point in a stream.</summary>
public interface IDeviceEvent : IDisposable
{
    /// <summary>Blocks the calling thread until the event completed.</summary>
    void Synchronize();

    /// <summary>Device milliseconds from <paramref name="start"/> to this event (both recorded with timing, both complete).</summary>
    double MillisecondsSince(IDeviceEvent start);
}

/// <summary>Picks the streams for a device.</summary>
public static class DeviceStreams
{
    public static IDeviceStreams For(torch.Device device) =>
        device.type == DeviceType.CUDA ? CudaStreams.Open(device) : new HostStreams();
}
