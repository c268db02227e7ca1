using static TorchSharp.torch;

namespace ProbeBench.Core.Models;

/// <summary>
/// Extraction's view of a family's ViT: normed class and patch tokens of any blocks from one pass. The prefix tokens
/// between them (registers, storage tokens) are never handed out as patches. Owns the model.
/// </summary>
public class FeatureBackbone<TModel>(TModel model) : IBackboneModel where TModel : ITokenBackbone
{
    public TModel Model => model;
    public IBackboneConfig Config => model.Config;
    public ScalarType DType => model.DType;
    public Device Device => model.Device;
    public int Depth => model.Config.Depth;
    public int EmbedDim => model.Config.EmbedDim;
    public int PatchSize => model.Config.PatchSize;

    public IReadOnlyDictionary<int, BlockTokens> ForwardBlocks(Tensor images, IReadOnlyCollection<int> blocks)
    {
        var prefix = model.Config.PrefixTokens;
        return model.ForwardBlocks(images, blocks, norm: true)
            .ToDictionary(kv => kv.Key, kv => new BlockTokens(kv.Value[.., 0], kv.Value[.., prefix..]));
    }

    public void Dispose() => model.Dispose();
}
