namespace ProbeBench.Core.Extraction;

/// <summary>How to run an extraction.</summary>
/// <param name="BatchSize">Images per forward pass.</param>
/// <param name="Device">cpu, cuda or cuda:N.</param>
/// <param name="Precision">fp32, fp16 or bf16 (the backbone must already be in that dtype).</param>
/// <param name="QueueDepth">Decoded batches allowed to wait for the backbone (bounds memory; backpressure beyond it).</param>
/// <param name="DecodeThreads">Parallel decoders; 0 means one per core.</param>
/// <param name="Batch1Repeats">Single-image forwards timed after the run for the batch-1 latency (0 skips it).</param>
/// <param name="WriterThreads">Threads writing the layer choices' cache entries (each writer stays on one); 0 means one per core, at most one per choice.</param>
public sealed record ExtractionOptions(
    int BatchSize = 64,
    string Device = "cpu",
    string Precision = "fp32",
    int QueueDepth = 3,
    int DecodeThreads = 0,
    int Batch1Repeats = 5,
    int WriterThreads = 0);
