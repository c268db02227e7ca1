using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV2;

/// <summary>The official <c>forward_features</c> outputs (the caller owns and disposes them).</summary>
/// <param name="ClsToken">x_norm_clstoken, B×D.</param>
/// <param name="RegisterTokens">x_norm_regtokens, B×R×D (R may be 0).</param>
/// <param name="PatchTokens">x_norm_patchtokens, B×(h·w)×D, row-major over the patch grid.</param>
/// <param name="PreNorm">x_prenorm: the last block's output before the final norm, B×(1+R+h·w)×D.</param>
public sealed record DinoV2Features(Tensor ClsToken, Tensor RegisterTokens, Tensor PatchTokens, Tensor PreNorm) : IDisposable
{
    public void Dispose()
    {
        ClsToken.Dispose();
        RegisterTokens.Dispose();
        PatchTokens.Dispose();
        PreNorm.Dispose();
    }
}

/// <summary>One block's output as <c>get_intermediate_layers</c> returns it (the caller owns and disposes it).</summary>
/// <param name="Block">The block index (0-based).</param>
/// <param name="Patch">Patch tokens, B×(h·w)×D, or B×D×h×w when reshaped.</param>
/// <param name="Cls">Class token, B×D.</param>
public sealed record IntermediateLayer(int Block, Tensor Patch, Tensor Cls) : IDisposable
{
    public void Dispose()
    {
        Patch.Dispose();
        Cls.Dispose();
    }
}
