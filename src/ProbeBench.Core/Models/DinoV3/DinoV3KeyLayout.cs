using ProbeBench.Core.Weights;

namespace ProbeBench.Core.Models.DinoV3;

/// <summary>
/// DINOv3's key layout: the official one (patch_embed, rope_embed.periods, blocks.N.*). transformers' DINOv3ViTModel
/// layout is not read: no reference here checks a mapping of it against anything but itself.
/// </summary>
public sealed class DinoV3KeyLayout : ICheckpointKeyLayout
{
    public bool Recognizes(IReadOnlyCollection<string> keys) => keys.Contains("patch_embed.proj.weight") && keys.Contains("rope_embed.periods");

    public bool IsOfficial(IReadOnlyCollection<string> keys) => true;

    public StateDict ToOfficial(StateDict state) => state;
}
