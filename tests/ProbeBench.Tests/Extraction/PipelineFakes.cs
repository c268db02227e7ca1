using System.Collections.Concurrent;
using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Models;
using ProbeBench.Core.Preprocessing;
using ProbeBench.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeBench.Tests.Extraction;

/// <summary>Images whose pixels all equal their index (mod 256); Load can fail at one index, or block at one until released.</summary>
internal sealed class IndexImages(int count, int failAt = -1, int blockAt = -1) : IImageDataset
{
    private int loaded;
    public ManualResetEventSlim Release { get; } = new(false);
    public int Loaded => Volatile.Read(ref loaded);
    public string Name => "index-images";
    public string Split => "train";
    public int Count => count;
    public IReadOnlyList<string> ClassNames { get; } = ["even", "odd"];
    public string Fingerprint => "index-images";
    public int GetLabel(int index) => index % 2;

    public RgbImage Load(int index)
    {
        if (index == failAt) throw new ProbeBenchException($"image {index} is undecodable");
        if (index == blockAt) Release.Wait(); // a read that never returns (a FIFO nobody writes)
        Interlocked.Increment(ref loaded);
        var pixels = new byte[4 * 4 * 3];
        Array.Fill(pixels, (byte)index);
        return new RgbImage(pixels, 4, 4);
    }
}

internal sealed class FloatPreprocessor : IImagePreprocessor
{
    public string Description => "float";

    public Tensor Apply(IReadOnlyList<RgbImage> images, Device device, ScalarType dtype) =>
        tensor(images.SelectMany(i => i.Pixels).ToArray(), [images.Count, 4, 4, 3]).permute(0, 3, 1, 2).to(dtype).to(device);
}

/// <summary>Block b's class token is (pixel value + b) · scale; it can throw at a call, and it logs its forwards.</summary>
internal sealed class ScriptedBackbone(float scale = 1, int failAtCall = -1, Action<string>? log = null) : IFeatureBackbone
{
    private int calls;
    public int Calls => Volatile.Read(ref calls);
    public int Depth => 4;
    public int EmbedDim => 3;
    public int PatchSize => 2;

    public IReadOnlyDictionary<int, BlockTokens> ForwardBlocks(Tensor images, IReadOnlyCollection<int> blocks)
    {
        var call = Interlocked.Increment(ref calls);
        if (call == failAtCall) throw new ProbeBenchException($"the backbone failed at batch {call}");
        var value = images.mean([2, 3]);
        log?.Invoke($"forward {value[0, 0].item<float>():F0}");
        var patches = value.unsqueeze(1).expand(-1, 4, -1) * 10;
        return blocks.ToDictionary(b => b, b => new BlockTokens((value + b) * scale, patches + 10 * b));
    }
}

/// <summary>Keeps rows in memory; can throw at an append, and records which threads appended.</summary>
internal sealed class ScriptedWriter(int failAtAppend = -1, Func<Exception>? failure = null) : IFeatureWriter
{
    private int appends;
    public List<float[]> Rows { get; } = [];
    public List<int> Labels { get; } = [];
    public ConcurrentDictionary<int, bool> Threads { get; } = new();
    public bool Completed { get; private set; }
    public int ResumeRow => 0;

    public void Append(ReadOnlySpan<float> rows, ReadOnlySpan<int> labels, int dim)
    {
        Threads[Environment.CurrentManagedThreadId] = true;
        if (++appends == failAtAppend) throw failure?.Invoke() ?? new ProbeBenchException("the writer failed");
        for (var i = 0; i < labels.Length; i++) Rows.Add(rows.Slice(i * dim, dim).ToArray());
        Labels.AddRange(labels.ToArray());
    }

    public void Complete() => Completed = true;
}

/// <summary>
/// GPU-style streams on the CPU that log every call (with the thread), so tests can check the order the pipeline
/// issues its work in: the forward stream waits for each batch's ready event, buffers are refilled only after
/// their last upload completed, and downloads are awaited only once the next forward is queued.
/// </summary>
internal sealed class RecordingStreams : IDeviceStreams
{
    private int events;
    private readonly RecordingStream forward;

    public RecordingStreams() => forward = new RecordingStream(this, "forward");

    public ConcurrentQueue<string> Log { get; } = new();
    public string Description => "recording";
    public IDeviceStream Current => forward;
    public IDeviceStream CreateStream() => new RecordingStream(this, "staging");

    public Tensor HostBuffer(long[] shape, ScalarType dtype)
    {
        Write($"host-buffer {shape.Length}d");
        return empty(shape, dtype);
    }

    public void Write(string line) => Log.Enqueue($"{line} @{Environment.CurrentManagedThreadId}");

    public void Dispose() { }

    private sealed class RecordingStream(RecordingStreams owner, string name) : IDeviceStream
    {
        public IDisposable Enter()
        {
            owner.Write($"enter {name}");
            return new Exit(owner, name);
        }

        public IDeviceEvent Record(bool timing = false)
        {
            var id = Interlocked.Increment(ref owner.events);
            owner.Write($"record {name} e{id}");
            return new RecordingEvent(owner, id);
        }

        public void Wait(IDeviceEvent e) => owner.Write($"wait {name} e{((RecordingEvent)e).Id}");

        public void Dispose() { }
    }

    private sealed class Exit(RecordingStreams owner, string name) : IDisposable
    {
        public void Dispose() => owner.Write($"exit {name}");
    }

    private sealed class RecordingEvent(RecordingStreams owner, int id) : IDeviceEvent
    {
        public int Id => id;
        public void Synchronize() => owner.Write($"sync e{id}");
        public double MillisecondsSince(IDeviceEvent start) => 1;
        public void Dispose() { }
    }
}
