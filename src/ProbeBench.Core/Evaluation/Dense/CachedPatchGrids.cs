using ProbeBench.Core.Cache;
using ProbeBench.Core.Heads.Dense;
using static TorchSharp.torch;

namespace ProbeBench.Core.Evaluation.Dense;

/// <summary>
/// Patch grids read from the feature cache a batch at a time: one <c>patch@&lt;block&gt;</c> entry per block (fp16 rows of
/// the class token and the grid), read by <see cref="FeatureRowReader"/> as stored and widened to float32 on the device.
/// </summary>
public sealed class CachedPatchGrids : IPatchGridSource
{
    private readonly IReadOnlyList<FeatureRowReader> _readers;

    public CachedPatchGrids(IReadOnlyList<int> blocks, IReadOnlyList<FeatureRowReader> readers, int gridHeight, int gridWidth, int channels)
    {
        if (blocks.Count == 0 || blocks.Count != readers.Count) throw new ArgumentException("one reader per block", nameof(readers));
        var dim = (long)(1 + gridHeight * gridWidth) * channels;
        foreach (var reader in readers)
        {
            if (reader.Dim != dim)
                throw new ProbeBenchException($"Feature-cache entry {reader.Key} holds {reader.Dim} values per image, not the {dim} of a {gridHeight}×{gridWidth} grid of {channels} channels.");
            if (reader.Rows != readers[0].Rows)
                throw new ProbeBenchException($"Feature-cache entries {readers[0].Key} and {reader.Key} hold {readers[0].Rows} and {reader.Rows} images of one split.");
        }
        (Blocks, _readers, GridHeight, GridWidth, Channels) = (blocks, readers, gridHeight, gridWidth, channels);
    }

    public int Images => _readers[0].Rows;
    public int GridHeight { get; }
    public int GridWidth { get; }
    public int Channels { get; }
    public IReadOnlyList<int> Blocks { get; }

    public IReadOnlyList<Tensor> Tokens(long[] images, Device device)
    {
        var rows = images.Select(i => (int)i).ToArray();
        if ((long)rows.Length * _readers[0].Dim > Array.MaxLength)
            throw new ProbeBenchException($"A batch of {rows.Length} images of {_readers[0].Dim:N0} values per block exceeds what one array holds; lower denseBatchSize to at most {Array.MaxLength / _readers[0].Dim}.");
        var shape = new long[] { rows.Length, 1 + GridHeight * GridWidth, Channels };
        var tokens = new List<Tensor>(_readers.Count);
        foreach (var reader in _readers)
        {
            if (reader.StorageType == "fp16")
            {
                var values = new Half[rows.Length * reader.Dim];
                reader.ReadHalf(rows, values);
                using var host = tensor(values, shape);
                tokens.Add(host.to(device).to(ScalarType.Float32));
            }
            else
            {
                var values = new float[rows.Length * reader.Dim];
                reader.Read(rows, values);
                using var host = tensor(values, shape);
                tokens.Add(host.to(device));
            }
        }
        return tokens;
    }

    public void Dispose()
    {
        foreach (var reader in _readers) reader.Dispose();
    }
}
