namespace ProbeBench.Core.Models.DinoV2;

/// <summary>The feed-forward layer of a DINOv2 block, as the official <c>ffn_layer</c> option names it.</summary>
public enum FfnLayer
{
    /// <summary><c>mlp</c>: fc1 → GELU → fc2.</summary>
    Mlp,

    /// <summary><c>swiglufused</c>: w12 → SiLU(x1)·x2 → w3 (ViT-g/14).</summary>
    SwiGluFused,
}
