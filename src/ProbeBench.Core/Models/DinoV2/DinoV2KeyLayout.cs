using ProbeBench.Core.Weights;

namespace ProbeBench.Core.Models.DinoV2;

/// <summary>DINOv2's key layouts: the official one (kept as it is) and transformers' (renamed by <see cref="HfDinov2KeyMapper"/>).</summary>
public sealed class DinoV2KeyLayout : ICheckpointKeyLayout
{
    // DINOv3 state dicts share patch_embed and blocks but carry rope_embed.periods instead of pos_embed.
    public bool Recognizes(IReadOnlyCollection<string> keys) =>
        HfDinov2KeyMapper.IsHfLayout(keys) || (keys.Contains("patch_embed.proj.weight") && !keys.Contains("rope_embed.periods"));

    public bool IsOfficial(IReadOnlyCollection<string> keys) => !HfDinov2KeyMapper.IsHfLayout(keys);

    public StateDict ToOfficial(StateDict state) => HfDinov2KeyMapper.IsHfLayout(state.Keys) ? HfDinov2KeyMapper.Map(state) : state;
}
