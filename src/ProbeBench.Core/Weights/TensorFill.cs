using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeBench.Core.Weights;

/// <summary>
/// Reads raw little-endian bytes from a file or stream straight into a contiguous CPU tensor's memory,
/// in chunks (a Span cannot exceed 2 GiB), so no managed copy of the data is ever made.
/// </summary>
internal static class TensorFill
{
    private const long ChunkBytes = 1L << 30;

    public static void FromFile(Tensor tensor, SafeFileHandle handle, long fileOffset, string path)
    {
        foreach (var (chunk, start) in Chunks(tensor))
        {
            using (chunk)
                SafetensorsHeader.ReadExactly(handle, chunk.bytes, fileOffset + start, path);
        }
    }

    /// <summary>Fills the tensor from the stream; returns the CRC-32 of the bytes read (zip entries carry one to check).</summary>
    public static uint FromStream(Tensor tensor, Stream stream, string source)
    {
        // Small slices keep each slice in cache for the CRC right after it is read.
        const int SliceBytes = 4 << 20;
        var crc = new Crc32();
        foreach (var (chunk, _) in Chunks(tensor))
        {
            using (chunk)
            {
                var span = chunk.bytes;
                try
                {
                    for (var at = 0; at < span.Length; at += SliceBytes)
                    {
                        var slice = span.Slice(at, Math.Min(SliceBytes, span.Length - at));
                        stream.ReadExactly(slice);
                        crc.Append(slice);
                    }
                }
                catch (EndOfStreamException e)
                {
                    throw new ProbeBenchException($"{source} ended before all of its {tensor.numel() * tensor.element_size()} bytes were read: the file is truncated.", inner: e);
                }
            }
        }
        return crc.GetCurrentHashAsUInt32();
    }

    /// <summary>Views of at most <see cref="ChunkBytes"/> over the flattened tensor, with their byte offset.</summary>
    private static IEnumerable<(Tensor Chunk, long ByteOffset)> Chunks(Tensor tensor)
    {
        if (!tensor.is_contiguous() || tensor.device_type != DeviceType.CPU)
            throw new InvalidOperationException("TensorFill needs a contiguous CPU tensor.");
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Checkpoints store little-endian data; this machine is big-endian.");
        var elementSize = tensor.element_size();
        var total = tensor.numel();
        if (total == 0) yield break;
        var perChunk = ChunkBytes / elementSize;
        using var flat = tensor.view(-1);
        for (long start = 0; start < total; start += perChunk)
        {
            var count = Math.Min(perChunk, total - start);
            yield return (flat.narrow(0, start, count), start * elementSize);
        }
    }
}
