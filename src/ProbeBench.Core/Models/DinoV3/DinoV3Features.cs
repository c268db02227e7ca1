using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV3;

/// <summary>The official <c>forward_features</c> outputs (the caller owns and disposes them).</summary>
/// <param name="ClsToken">x_norm_clstoken, B×D.</param>
/// <param name="StorageTokens">x_storage_tokens (normed), B×S×D.</param>
/// <param name="PatchTokens">x_norm_patchtokens, B×(h·w)×D, row-major over the patch grid.</param>
/// <param name="PreNorm">x_prenorm: the last block's output before the final norm, B×(1+S+h·w)×D.</param>
public sealed record DinoV3Features(Tensor ClsToken, Tensor StorageTokens, Tensor PatchTokens, Tensor PreNorm) : IDisposable
{
    public void Dispose()
    {
        ClsToken.Dispose();
        StorageTokens.Dispose();
        PatchTokens.Dispose();
        PreNorm.Dispose();
    }
}

/// <summary>One block's output as <c>get_intermediate_layers(return_class_token, return_extra_tokens)</c> gives it (the caller owns it).</summary>
/// <param name="Block">The block index (0-based).</param>
/// <param name="Patch">Patch tokens, B×(h·w)×D, or B×D×h×w when reshaped.</param>
/// <param name="Cls">Class token, B×D.</param>
/// <param name="Storage">The storage ("extra") tokens, B×S×D.</param>
public sealed record DinoV3Layer(int Block, Tensor Patch, Tensor Cls, Tensor Storage) : IDisposable
{
    public void Dispose()
    {
        Patch.Dispose();
        Cls.Dispose();
        Storage.Dispose();
    }
}
