using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV3;

/// <summary>
/// Extraction's view of a <see cref="DinoV3Backbone"/>: normed class and patch tokens of any blocks from one pass. The
/// storage tokens between them are never handed out as patches. Owns the model.
/// </summary>
public sealed class DinoV3FeatureBackbone(DinoV3Backbone model) : IBackboneModel
{
    public DinoV3Backbone Model => model;
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
