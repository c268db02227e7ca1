using ProbeBench.Core.Weights;

namespace ProbeBench.Core.Models.DinoV3;

/// <summary>A published DINOv3 ViT: its name, hyper-parameters, pretraining data and the checkpoint Meta hands out for it.</summary>
/// <param name="Name">e.g. <c>dinov3_vitl16</c> (LVD-1689M weights, the hub default) or <c>dinov3_vitl16_sat493m</c>.</param>
/// <param name="Arch">The hub's model arch, e.g. <c>vitl16</c>, <c>vith16plus</c>.</param>
/// <param name="Weights">The pretraining set the weights come from.</param>
public sealed record DinoV3Variant(string Name, string Arch, DinoV3Weights Weights, DinoV3Config Config, OfficialCheckpoint Checkpoint) : IBackboneVariant
{
    IBackboneConfig IBackboneVariant.Config => Config;
}

/// <summary>The pretraining data of published DINOv3 weights (the hub's <c>Weights</c> enum).</summary>
public enum DinoV3Weights
{
    /// <summary>LVD-1689M, web images: ImageNet mean/std.</summary>
    Lvd1689M,

    /// <summary>SAT-493M, satellite images: their own mean/std.</summary>
    Sat493M,
}
