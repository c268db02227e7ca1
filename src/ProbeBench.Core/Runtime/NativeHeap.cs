using System.Runtime.InteropServices;

namespace ProbeBench.Core.Runtime;

/// <summary>
/// glibc's malloc serves every block over 32 MiB (its largest mmap threshold) with a fresh mmap and unmaps it on free, so
/// each large libtorch CPU temporary (a dense head's 8 × 256 × 64 × 64 bin logits, a big batch's MLP activations) costs
/// a page fault per 4 KiB page on every step. Keeping large blocks on the heap and never trimming it lets freed blocks be
/// reused: dense-head training at 224 px ran 5.6× faster. The process keeps its peak heap instead of returning it to the
/// system. PROBEBENCH_MALLOC=system keeps glibc's defaults.
/// </summary>
public static class NativeHeap
{
    public const string EnvironmentVariable = "PROBEBENCH_MALLOC";

    private const int MTrimThreshold = -1;
    private const int MMmapMax = -4;

    /// <summary>What the process's native heap does: "heap-reuse" (tuned), "system" (glibc's defaults, asked for), or "default" (not glibc).</summary>
    public static string Mode { get; private set; } = "default";

    private static int applied;

    /// <summary>Applies the tuning once (Linux with glibc only); later calls do nothing.</summary>
    public static void Tune()
    {
        var asked = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(asked) && !string.Equals(asked, "system", StringComparison.OrdinalIgnoreCase))
            throw new ProbeBenchException($"{EnvironmentVariable} is '{Shown(asked)}'; it takes one value, system (glibc's malloc defaults), or is unset.");
        if (Interlocked.Exchange(ref applied, 1) == 1 || !OperatingSystem.IsLinux()) return;
        if (asked is not null && asked.Length > 0)
        {
            Mode = "system";
            return;
        }
        try
        {
            if (mallopt(MMmapMax, 0) == 1 && mallopt(MTrimThreshold, int.MaxValue) == 1) Mode = "heap-reuse";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl, or a libc without mallopt): its allocator stays as it is.
        }
    }

    // An environment value is the user's, not ours to print whole: at most 40 characters, control characters shown as '?'.
    private static string Shown(string value) =>
        new(value.Take(40).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
