using ProbeBench.Core.Data;
using ProbeBench.Core.Heads.Dense;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Preprocessing;
using static TorchSharp.torch;

namespace ProbeBench.Core.Evaluation.Dense;

/// <summary>
/// Patch grids computed by the frozen backbone when a batch is asked for (<c>dense: online</c>): nothing is cached, so a
/// split of any size needs no disk, at the price of one forward pass per training step. The images are decoded in
/// parallel and preprocessed with the run's recipe; the forward stops after the deepest block needed.
/// </summary>
public sealed class OnlinePatchGrids(LoadedBackbone backbone, IImageDataset dataset, IReadOnlyList<int>? indices, PreprocessRecipe recipe,
    IReadOnlyList<int> blocks, int gridHeight, int gridWidth) : IPatchGridSource
{
    private readonly TensorPreprocessor _preprocessor = new(recipe);
    private readonly ScalarType _dtype = PrecisionNames.ToScalarType(backbone.Precision);

    public int Images => indices?.Count ?? dataset.Count;
    public int GridHeight => gridHeight;
    public int GridWidth => gridWidth;
    public int Channels => backbone.Config.EmbedDim;
    public IReadOnlyList<int> Blocks => blocks;

    public IReadOnlyList<Tensor> Tokens(long[] images, Device device)
    {
        var decoded = new RgbImage[images.Length];
        ParallelLoops.For(0, images.Length, new ParallelOptions(), i => decoded[i] = dataset.Load(indices?[(int)images[i]] ?? (int)images[i]));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = _preprocessor.Apply(decoded, device, _dtype);
        if (input.shape[2] / backbone.Config.PatchSize != gridHeight || input.shape[3] / backbone.Config.PatchSize != gridWidth)
            throw new ProbeBenchException($"{dataset.Name}/{dataset.Split}: an image gives a {input.shape[2]}×{input.shape[3]} input, not the {gridHeight * backbone.Config.PatchSize}×{gridWidth * backbone.Config.PatchSize} of the split's first image.");
        var tokens = backbone.Features.ForwardBlocks(input, blocks.ToArray());
        return blocks.Select(b => cat([tokens[b].Cls.unsqueeze(1), tokens[b].Patches], 1).to(ScalarType.Float32).MoveToOuterDisposeScope()).ToList();
    }

    // The backbone belongs to the unit runner, which keeps it loaded for the next unit.
    public void Dispose() { }
}
