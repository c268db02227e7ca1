using System.Runtime.InteropServices;
using ProbeBench.Core.Runtime;
using static TorchSharp.torch;

namespace ProbeBench.Core.Probes;

/// <summary>
/// The bf16-screened k-NN search on the CPU: per test chunk one bf16 similarity matmul (native bf16 dot products
/// run it at about 2.5× the float32 rate), then per test row the candidates that the error bound
/// (<see cref="KnnClassifierScreenBound"/>) cannot exclude are rescored exactly, in float64 sums of the float32 unit
/// features, and the max(k) neighbours are chosen from those. The neighbours are the exact ones: only which
/// similarities get computed exactly is decided in bf16.
/// </summary>
internal static class KnnClassifierScreenedSearch
{
    public const string Method = "bf16-screened";

    /// <summary>Runs the search; false when the hardware broke the bound on a rescored candidate (then nothing is returned).</summary>
    public static bool TryRun(KnnQuery query, out KnnResult result)
    {
        result = null!;
        var (train, test, options) = (query.Train, query.Test, query.Options);
        var (ks, maxK, classes) = (query.Ks, query.MaxK, query.Classes);
        // The screened block is read through one span: keep it under 2 GiB.
        var chunkRows = Math.Max(1, Math.Min(query.ChunkRows, int.MaxValue / 2 / train.Rows));
        var votes = ks.Select(_ => new float[(long)test.Rows * classes]).ToArray();

        using var outer = NewDisposeScope();
        var trainUnit = KnnClassifierPlainSearch.Normalized(train.Values, train.Rows, train.Dim, ScalarType.Float32, CPU);
        var testUnit = KnnClassifierPlainSearch.Normalized(test.Values, test.Rows, test.Dim, ScalarType.Float32, CPU);
        var trainBf16 = trainUnit.to(ScalarType.BFloat16);
        var testBf16 = testUnit.to(ScalarType.BFloat16);
        var bound = KnnClassifierScreenBound.Measure(trainUnit, trainBf16, testUnit, testBf16);
        var trainHost = TensorCopy.ToArray<float>(trainUnit);
        var testHost = TensorCopy.ToArray<float>(testUnit);
        var dim = train.Dim;
        var broken = 0;

        for (var start = 0; start < test.Rows && broken == 0; start += chunkRows)
        {
            query.Cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var rows = Math.Min(chunkRows, test.Rows - start);
            var screened = mm(testBf16.narrow(0, start, rows), trainBf16.t()).contiguous();
            var block = ScreenedBlock.Of(screened);
            var first = start;
            Parallel.For(0, rows, () => new KnnClassifierScreenRow(maxK), (r, loop, search) =>
            {
                var row = first + r;
                if (!search.Search(row, block.Row(r, train.Rows), testHost.AsSpan(row * dim, dim), trainHost, dim, bound))
                {
                    Interlocked.Exchange(ref broken, 1);
                    loop.Stop();
                    return search;
                }
                KnnClassifierVotes.Add(search.Neighbours, train.Labels, ks, options.Temperature, classes, votes, row);
                return search;
            }, _ => { });
            if (broken == 0) query.Progress?.Invoke(start + rows, test.Rows);
        }
        if (broken != 0) return false;
        result = query.Result(votes, Method);
        return true;
    }

    /// <summary>The bf16 similarity block's memory, addressed by row (the tensor outlives every use).</summary>
    private readonly unsafe struct ScreenedBlock(ushort* start)
    {
        public static ScreenedBlock Of(Tensor bf16)
        {
            var bytes = bf16.bytes;
            return new ScreenedBlock((ushort*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref MemoryMarshal.GetReference(bytes)));
        }

        public ReadOnlySpan<ushort> Row(int row, int columns) => new(start + (long)row * columns, columns);
    }
}
