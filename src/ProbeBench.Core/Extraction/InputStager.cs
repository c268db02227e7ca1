using ProbeBench.Core.Data;
using ProbeBench.Core.Preprocessing;
using ProbeBench.Core.Runtime;
using static TorchSharp.torch;

namespace ProbeBench.Core.Extraction;

/// <summary>
/// Turns decoded images into network input on the decoder thread, off the backbone's stream: pixels of a batch go into
/// one of two host buffers (pinned on CUDA, double buffering: a buffer is refilled only after the upload from it,
/// two batches back, completed), are uploaded from there asynchronously on the staging stream, and are preprocessed
/// on that stream too; the batch carries an event the backbone's stream waits for before its forward.
/// Batches whose images differ in size go through <see cref="IImagePreprocessor.Apply(IReadOnlyList{RgbImage}, Device, ScalarType)"/>, still on the staging stream.
/// </summary>
internal sealed class InputStager(IImagePreprocessor preprocessor, Device device, ScalarType dtype, IDeviceStreams streams) : IDisposable
{
    private const int Buffers = 2;
    private readonly IDeviceStream stream = streams.CreateStream();
    private readonly Tensor?[] buffers = new Tensor?[Buffers];
    private readonly IDeviceEvent?[] uploaded = new IDeviceEvent?[Buffers];
    private int next;

    /// <summary>Makes the staging stream current on the calling thread (the decoder's) until disposed.</summary>
    public IDisposable Enter() => stream.Enter();

    /// <summary>The network input of <paramref name="images"/> and the event after which it is ready on the device.</summary>
    public (Tensor Input, IDeviceEvent Ready) Stage(IReadOnlyList<RgbImage> images)
    {
        using var scope = NewDisposeScope();
        Tensor input;
        if (images.All(i => i.Height == images[0].Height && i.Width == images[0].Width))
        {
            var slot = next;
            next = (next + 1) % Buffers;
            var pixels = Fill(slot, images);
            var onDevice = pixels.to(device, copy: false, disposeAfter: false, non_blocking: true);
            uploaded[slot] = stream.Record();
            input = preprocessor.Apply(onDevice, dtype);
        }
        else
        {
            input = preprocessor.Apply(images, device, dtype);
        }
        var ready = stream.Record();
        return (input.MoveToOuterDisposeScope(), ready);
    }

    /// <summary>Copies the images into buffer <paramref name="slot"/> (N × H × W × 3 bytes) once its last upload is done.</summary>
    private Tensor Fill(int slot, IReadOnlyList<RgbImage> images)
    {
        int n = images.Count, h = images[0].Height, w = images[0].Width;
        var imageBytes = h * w * 3;
        foreach (var image in images)
            if (image.Pixels.Length != imageBytes)
                throw new ProbeBenchException($"An image claims {h}x{w} pixels but holds {image.Pixels.Length} bytes.");
        if (uploaded[slot] is { } previous)
        {
            previous.Synchronize();
            previous.Dispose();
            uploaded[slot] = null;
        }
        var buffer = buffers[slot];
        if (buffer is null || buffer.shape[0] < n || buffer.shape[1] != h || buffer.shape[2] != w)
        {
            buffer?.Dispose();
            buffer = buffers[slot] = streams.HostBuffer([n, h, w, 3], ScalarType.Byte);
            buffer.DetachFromDisposeScope();
        }
        var view = buffer.narrow(0, 0, n);
        var bytes = view.bytes;
        for (var i = 0; i < n; i++) images[i].Pixels.CopyTo(bytes.Slice(i * imageBytes, imageBytes));
        return view;
    }

    /// <summary>Waits for the last uploads, then frees the buffers and the staging stream.</summary>
    public void Dispose()
    {
        for (var slot = 0; slot < Buffers; slot++)
        {
            uploaded[slot]?.Synchronize();
            uploaded[slot]?.Dispose();
            buffers[slot]?.Dispose();
        }
        stream.Dispose();
    }
}
