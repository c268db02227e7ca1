using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace ProbeBench.Core.Runtime;

/// <summary>
/// Loads TorchSharp's native libraries before TorchSharp touches them: libtorch from the bundled
/// package or from PROBEBENCH_LIBTORCH (bring your own, e.g. PyTorch's torch/lib with CUDA), and
/// LibTorchSharp itself, through a patched copy where the system libstdc++ lacks GLIBCXX_3.4.32
/// (see <see cref="LibTorchSharpPatch"/>). Call <see cref="EnsureInitialized"/> before any torch use.
/// </summary>
/// <remarks>
/// TorchSharp finds its natives with <c>NativeLibrary.TryLoad(name, assembly, ...)</c>, which ignores
/// DllImport resolvers, so the libraries are loaded here first by full path; the dynamic loader then
/// satisfies TorchSharp's bare-name probes ("libLibTorchSharp.so", "libtorch_cuda.so") by soname with
/// these copies. The resolver below covers TorchSharp's P/Invokes as well.
/// </remarks>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static bool initialized;
    private static IntPtr libTorchSharpHandle;
    private static IntPtr libTorchCudaHandle;
    private static readonly List<string> CudaAttempts = [];

    /// <summary>What was loaded from where; null until <see cref="EnsureInitialized"/> succeeded.</summary>
    public static NativeLoadReport? Report { get; private set; }

    /// <summary>Loads the natives and initialises the CPU backend; throws <see cref="ProbeBenchException"/> with the cause.</summary>
    public static void EnsureInitialized()
    {
        lock (Gate)
        {
            if (initialized) return;
            NativeHeap.Tune();
            try
            {
                LoadLibTorchSharp();
                NativeLibrary.SetDllImportResolver(typeof(torch).Assembly, Resolve);
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception e) when (e is not ProbeBenchException)
            {
                throw new ProbeBenchException($"TorchSharp's native backend did not load: {FirstLine(e.Message)}", inner: e);
            }
            initialized = true;
        }
    }

    /// <summary>
    /// The device a device setting names: <c>auto</c> is cuda when a CUDA libtorch loads and reports a device, else cpu
    /// (<paramref name="why"/> says which and why); other names are returned as they are.
    /// </summary>
    public static string ResolveDeviceName(string spec, out string why)
    {
        var normalized = spec.Trim().ToLowerInvariant();
        why = "";
        if (normalized != "auto") return normalized;
        EnsureInitialized();
        try
        {
            EnsureCuda("auto");
            why = "device auto: cuda (a CUDA libtorch loaded)";
            return "cuda";
        }
        catch (ProbeBenchException e)
        {
            why = $"device auto: cpu ({e.Message.Replace("--device auto: ", "", StringComparison.Ordinal).TrimEnd('.')})";
            return "cpu";
        }
    }

    public static torch.Device ResolveDevice(string spec)
    {
        EnsureInitialized();
        var normalized = ResolveDeviceName(spec, out _);
        if (normalized == "cpu") return torch.CPU;
        if (normalized != "cuda" && !normalized.StartsWith("cuda:", StringComparison.Ordinal))
            throw new ProbeBenchException($"--device {spec} is not supported; use auto, cpu, cuda or cuda:<index>.");
        EnsureCuda(spec);
        return torch.device(normalized);
    }

    private static void EnsureCuda(string spec)
    {
        lock (Gate)
        {
            var loaded = false;
            string? error = null;
            try
            {
                loaded = LoadTorchCuda();
                if (loaded && torch.TryInitializeDeviceType(DeviceType.CUDA) && torch.cuda.is_available()) return;
            }
            catch (Exception e)
            {
                error = FirstLine(e.Message);
            }
            var outcome = error ?? (loaded ? "libtorch_cuda loaded but CUDA reports no usable device" : null);
            var tried = string.Join("; ", CudaAttempts);
            throw new ProbeBenchException(
                $"--device {spec}: no CUDA backend could be loaded (tried {tried}{(outcome is null ? "" : $"; {outcome}")}); " +
                $"set {NativeLibraryLocator.LibTorchEnvironmentVariable} to a CUDA-enabled libtorch folder such as a PyTorch install's torch/lib.");
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == "LibTorchSharp" ? libTorchSharpHandle : IntPtr.Zero;

    private static bool LoadTorchCuda()
    {
        if (libTorchCudaHandle != IntPtr.Zero) return true;
        var external = NativeLibraryLocator.ExternalLibTorchFolder();
        var folder = external ?? NativeLibraryLocator.LibTorchFolder();
        var path = Path.Combine(folder, "libtorch_cuda.so");
        if (!File.Exists(path))
        {
            CudaAttempts.Add(external is null
                ? $"{path}: not there, the bundled libtorch is the CPU build and {NativeLibraryLocator.LibTorchEnvironmentVariable} is not set"
                : $"{path}: not there");
            return false;
        }
        try
        {
            var c10Cuda = Path.Combine(folder, "libc10_cuda.so");
            if (File.Exists(c10Cuda)) NativeLibrary.Load(c10Cuda);
            libTorchCudaHandle = NativeLibrary.Load(path);
            CudaAttempts.Add($"{path}: loaded");
            return true;
        }
        catch (DllNotFoundException e)
        {
            CudaAttempts.Add($"{path}: {FirstLine(e.Message)}");
            return false;
        }
    }

    private static void LoadLibTorchSharp()
    {
        var libTorch = NativeLibraryLocator.LibTorchFolder();
        // LibTorchSharp's RUNPATH is $ORIGIN; loading its dependencies by full path first lets a copy elsewhere
        // (the patched one) and a foreign libtorch folder resolve them by soname.
        foreach (var dependency in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
        {
            var path = Path.Combine(libTorch, dependency);
            if (File.Exists(path)) NativeLibrary.Load(path);
        }

        var original = NativeLibraryLocator.LibTorchSharpPath();
        string? patched = null;
        try
        {
            libTorchSharpHandle = NativeLibrary.Load(original);
        }
        catch (DllNotFoundException e) when (LibTorchSharpPatch.IsMissingVersionError(e.Message))
        {
            patched = LibTorchSharpPatch.EnsurePatchedCopy(original, CacheDirectories.Sub("native"));
            libTorchSharpHandle = NativeLibrary.Load(patched);
        }
        Report = new NativeLoadReport(libTorch, original, patched, NativeLibraryLocator.ExternalLibTorchFolder() is not null);
    }

    private static string FirstLine(string message) =>
        message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? message;
}

/// <summary>Where TorchSharp's natives came from.</summary>
/// <param name="LibTorchFolder">The libtorch folder in use.</param>
/// <param name="LibTorchSharpOriginal">TorchSharp's LibTorchSharp as shipped.</param>
/// <param name="LibTorchSharpPatchedCopy">The patched copy loaded instead, or null when the original loaded as is.</param>
/// <param name="ExternalLibTorch">True when libtorch came from PROBEBENCH_LIBTORCH.</param>
public sealed record NativeLoadReport(string LibTorchFolder, string LibTorchSharpOriginal, string? LibTorchSharpPatchedCopy, bool ExternalLibTorch);
