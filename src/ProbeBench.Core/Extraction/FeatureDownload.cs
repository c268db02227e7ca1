using ProbeBench.Core.Runtime;
using static TorchSharp.torch;

namespace ProbeBench.Core.Extraction;

/// <summary>
/// Brings one batch's features of every layer choice to the host in ONE asynchronous copy: the choices' B × dim
/// matrices are laid end to end (choice-major) on the device, copied into one of two host buffers (pinned on CUDA)
/// without waiting, and an event marks the copy's end. <see cref="Finish"/> waits for that event only when the next
/// batch's forward is already queued (double buffering), so the device never idles while the host reads.
/// </summary>
internal sealed class FeatureDownload(IDeviceStreams streams) : IDisposable
{
    private const int Buffers = 2;
    private readonly Tensor?[] buffers = new Tensor?[Buffers];
    private int next;

    /// <summary>A copy under way; <see cref="Finish"/> it in the order started.</summary>
    public sealed record Pending(int Slot, long Values, int[] Dims, int Rows, IDeviceEvent Done);

    /// <summary>Starts copying <paramref name="perChoice"/> (rows × dim each, float32, on the device) to the host.</summary>
    public Pending Start(IReadOnlyList<Tensor> perChoice)
    {
        using var scope = NewDisposeScope();
        var rows = (int)perChoice[0].shape[0];
        var dims = perChoice.Select(t => (int)t.shape[1]).ToArray();
        var flat = perChoice.Count == 1 ? perChoice[0].flatten() : cat(perChoice.Select(t => t.flatten()).ToArray(), 0);
        var values = flat.shape[0];
        var slot = next;
        next = (next + 1) % Buffers;
        var buffer = buffers[slot];
        if (buffer is null || buffer.shape[0] < values)
        {
            buffer?.Dispose();
            buffer = buffers[slot] = streams.HostBuffer([values], ScalarType.Float32);
            buffer.DetachFromDisposeScope();
        }
        buffer.narrow(0, 0, values).copy_(flat, nonBlocking: true);
        return new Pending(slot, values, dims, rows, streams.Current.Record(timing: true));
    }

    /// <summary>Waits for <paramref name="pending"/>'s copy and returns each choice's rows × dim values as a managed array.</summary>
    public float[][] Finish(Pending pending)
    {
        pending.Done.Synchronize();
        var perChoice = new float[pending.Dims.Length][];
        var offset = 0L;
        for (var c = 0; c < perChoice.Length; c++)
        {
            var count = (long)pending.Rows * pending.Dims[c];
            using var view = buffers[pending.Slot]!.narrow(0, offset, count);
            perChoice[c] = TensorCopy.ToArray<float>(view);
            offset += count;
        }
        return perChoice;
    }

    public void Dispose()
    {
        foreach (var buffer in buffers) buffer?.Dispose();
    }
}
