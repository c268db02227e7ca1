using System.Runtime.Intrinsics.X86;

namespace ProbeBench.Core.Runtime;

/// <summary>
/// What this processor offers for reduced-precision matrix work, read once from CPUID at start:
/// native bf16 dot products (AVX512_BF16, leaf 7 sub-leaf 1 EAX bit 5) and AMX tiles with bf16
/// (leaf 7 sub-leaf 0 EDX bits 22 and 24). Without either, libtorch emulates bf16 matmuls, which are then
/// slower than fp32, so nothing should choose bf16 for speed there.
/// </summary>
public static class CpuFeatures
{
    private static readonly Lazy<(bool Avx512Bf16, bool AmxBf16)> Flags = new(Read);

    /// <summary>AVX-512 with its bf16 dot-product instructions (and the OS saving AVX-512 state).</summary>
    public static bool Avx512Bf16 => Flags.Value.Avx512Bf16;

    /// <summary>AMX tiles with bf16 multiplication.</summary>
    public static bool AmxBf16 => Flags.Value.AmxBf16;

    /// <summary>bf16 matrix products run natively: <see cref="Avx512Bf16"/> or <see cref="AmxBf16"/>.</summary>
    public static bool NativeBf16 => Avx512Bf16 || AmxBf16;

    /// <summary>One line for <c>probebench env</c>: the flags found.</summary>
    public static string Describe() =>
        !X86Base.IsSupported ? "not x86 (no bf16 check)"
        : $"avx512_bf16 {(Avx512Bf16 ? "yes" : "no")}, amx_bf16 {(AmxBf16 ? "yes" : "no")}";

    private static (bool, bool) Read()
    {
        if (!X86Base.IsSupported) return (false, false);
        var (maxLeaf, _, _, _) = X86Base.CpuId(0, 0);
        if (maxLeaf < 7) return (false, false);
        var (_, _, _, edx0) = X86Base.CpuId(7, 0);
        var (eax1, _, _, _) = X86Base.CpuId(7, 1);
        // Avx512F.IsSupported also says the OS saves the AVX-512 registers.
        var avx512Bf16 = Avx512F.IsSupported && (eax1 & (1 << 5)) != 0;
        var amxBf16 = (edx0 & (1 << 22)) != 0 && (edx0 & (1 << 24)) != 0;
        return (avx512Bf16, amxBf16);
    }
}
