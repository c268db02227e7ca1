using static TorchSharp.torch;

namespace ProbeBench.Core.Models;

/// <summary>
/// What every ViT family's <c>ForwardBlocks</c> and <c>get_intermediate_layers</c> share: the block indices checked
/// against the depth, one pass through the caller's block loop, and the patch tokens cut from each block's sequence.
/// </summary>
internal static class BlockOutputs
{
    /// <summary>
    /// Runs <paramref name="run"/> (the family's block loop) for the checked indices under no_grad; the outputs
    /// outlive the call, every temporary of the pass is disposed.
    /// </summary>
    public static IReadOnlyDictionary<int, Tensor> Forward(IReadOnlyCollection<int> blocks, int depth,
        Func<SortedSet<int>, IReadOnlyDictionary<int, Tensor>> run)
    {
        var wanted = new SortedSet<int>(blocks);
        if (wanted.Count == 0) throw new ProbeBenchException("At least one block index must be requested.");
        if (wanted.Min < 0 || wanted.Max >= depth)
            throw new ProbeBenchException($"Block indices must lie in 0..{depth - 1} for this {depth}-block model; got {string.Join(", ", wanted)}.");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var outputs = run(wanted);
        foreach (var tensor in outputs.Values) tensor.MoveToOuterDisposeScope();
        return outputs;
    }

    /// <summary>The indices of the last <paramref name="n"/> blocks, as the official <c>get_intermediate_layers(x, n)</c> takes them.</summary>
    public static int[] Last(int n, int depth)
    {
        if (n < 1 || n > depth)
            throw new ProbeBenchException($"The number of last blocks must lie in 1..{depth}; got {n}.");
        return Enumerable.Range(depth - n, n).ToArray();
    }

    /// <summary>
    /// Each block's patch tokens, B×(h·w)×D or B×D×h×w with <paramref name="reshape"/>, with its whole sequence for the
    /// caller's other slices. Call inside the caller's dispose scope and move what it keeps out of it.
    /// </summary>
    public static IEnumerable<(int Index, Tensor Patch, Tensor Tokens)> Patches(IReadOnlyDictionary<int, Tensor> tokens, Tensor images,
        int patchSize, int prefixTokens, bool reshape)
    {
        long b = images.shape[0], h = images.shape[2] / patchSize, w = images.shape[3] / patchSize;
        foreach (var (index, t) in tokens)
        {
            var patch = t[.., prefixTokens..];
            if (reshape) patch = patch.reshape(b, h, w, -1).permute(0, 3, 1, 2).contiguous();
            yield return (index, patch, t);
        }
    }
}
