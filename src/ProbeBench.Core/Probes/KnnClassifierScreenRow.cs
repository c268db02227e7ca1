using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ProbeBench.Core.Probes;

/// <summary>
/// One test row of the screened k-NN search, with reusable scratch (one instance per worker thread): the k-th
/// largest screened similarity, the candidates above the bound's threshold, their exact similarities, and the
/// max(k) neighbours (highest exact similarity first; equal similarities by lower train index).
/// </summary>
internal sealed class KnnClassifierScreenRow(int maxK)
{
    private readonly float[] heap = new float[maxK];
    private int[] candidates = new int[Math.Max(1024, 4 * maxK)];
    private Neighbour[] scored = new Neighbour[Math.Max(1024, 4 * maxK)];

    /// <summary>The max(k) nearest train rows of the last <see cref="Search"/>, nearest first.</summary>
    public ReadOnlySpan<Neighbour> Neighbours => scored.AsSpan(0, maxK);

    /// <summary>
    /// Finds the neighbours of test row <paramref name="row"/> from its screened similarities (bf16 bits, one per train
    /// row). Returns false when a rescored candidate lies outside the bound: the screen is not to be trusted.
    /// </summary>
    public bool Search(int row, ReadOnlySpan<ushort> screened, ReadOnlySpan<float> testRow, float[] trainUnit, int dim,
        KnnClassifierScreenBound bound)
    {
        var threshold = bound.CandidateThreshold(row, KthLargest(screened));
        var count = Candidates(screened, threshold);
        for (var c = 0; c < count; c++)
        {
            var index = candidates[c];
            var exact = Dot(testRow, trainUnit.AsSpan(index * dim, dim));
            var approx = Bf16(screened[index]);
            if (!(Math.Abs(approx - exact) <= bound.Slack(row, approx))) return false;
            scored[c] = new Neighbour(index, exact);
        }
        scored.AsSpan(0, count).Sort(static (x, y) => x.Similarity != y.Similarity ? y.Similarity.CompareTo(x.Similarity) : x.Index.CompareTo(y.Index));
        return true;
    }

    /// <summary>The <c>maxK</c>-th largest value of a row, with a min-heap fed only by vector blocks that beat its root.</summary>
    private float KthLargest(ReadOnlySpan<ushort> values)
    {
        var k = heap.Length;
        for (var i = 0; i < k; i++) heap[i] = Bf16(values[i]);
        for (var i = k / 2 - 1; i >= 0; i--) SiftDown(i);
        var position = k;
        ref var start = ref MemoryMarshal.GetReference(values);
        for (; position + 16 <= values.Length; position += 16)
        {
            var (low, high) = Widen(Vector256.LoadUnsafe(ref start, (nuint)position));
            var root = Vector256.Create(heap[0]);
            if ((Vector256.GreaterThan(low, root) | Vector256.GreaterThan(high, root)) == Vector256<float>.Zero) continue;
            for (var i = position; i < position + 16; i++) Offer(Bf16(values[i]));
        }
        for (; position < values.Length; position++) Offer(Bf16(values[position]));
        return heap[0];
    }

    private void Offer(float value)
    {
        if (value <= heap[0]) return;
        heap[0] = value;
        SiftDown(0);
    }

    private void SiftDown(int i)
    {
        var k = heap.Length;
        var value = heap[i];
        while (true)
        {
            var child = 2 * i + 1;
            if (child >= k) break;
            if (child + 1 < k && heap[child + 1] < heap[child]) child++;
            if (heap[child] >= value) break;
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = value;
    }

    /// <summary>Indices of the values at or above <paramref name="threshold"/>, in <see cref="candidates"/>; returns how many.</summary>
    private int Candidates(ReadOnlySpan<ushort> values, float threshold)
    {
        var count = 0;
        var position = 0;
        ref var start = ref MemoryMarshal.GetReference(values);
        var limit = Vector256.Create(threshold);
        for (; position + 16 <= values.Length; position += 16)
        {
            var (low, high) = Widen(Vector256.LoadUnsafe(ref start, (nuint)position));
            var mask = Vector256.GreaterThanOrEqual(low, limit).ExtractMostSignificantBits()
                       | (Vector256.GreaterThanOrEqual(high, limit).ExtractMostSignificantBits() << 8);
            while (mask != 0)
            {
                Add(ref count, position + System.Numerics.BitOperations.TrailingZeroCount(mask));
                mask &= mask - 1;
            }
        }
        for (; position < values.Length; position++)
            if (Bf16(values[position]) >= threshold) Add(ref count, position);
        return count;
    }

    private void Add(ref int count, int index)
    {
        if (count == candidates.Length)
        {
            Array.Resize(ref candidates, candidates.Length * 2);
            Array.Resize(ref scored, candidates.Length);
        }
        candidates[count++] = index;
    }

    /// <summary>a·b summed in float64 (products of floats are exact in float64).</summary>
    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum0 = Vector256<double>.Zero;
        var sum1 = Vector256<double>.Zero;
        var j = 0;
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        for (; j + 8 <= a.Length; j += 8)
        {
            var (a0, a1) = Vector256.Widen(Vector256.LoadUnsafe(ref pa, (nuint)j));
            var (b0, b1) = Vector256.Widen(Vector256.LoadUnsafe(ref pb, (nuint)j));
            sum0 = Vector256.FusedMultiplyAdd(a0, b0, sum0);
            sum1 = Vector256.FusedMultiplyAdd(a1, b1, sum1);
        }
        var sum = Vector256.Sum(sum0 + sum1);
        for (; j < a.Length; j++) sum += (double)a[j] * b[j];
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Low, Vector256<float> High) Widen(Vector256<ushort> bits)
    {
        var (low, high) = Vector256.Widen(bits);
        return (Vector256.ShiftLeft(low, 16).AsSingle(), Vector256.ShiftLeft(high, 16).AsSingle());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Bf16(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);
}

/// <summary>A train row and its exact similarity to the test row.</summary>
internal readonly record struct Neighbour(int Index, double Similarity);
