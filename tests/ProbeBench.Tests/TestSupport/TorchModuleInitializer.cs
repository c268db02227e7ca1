using System.Runtime.CompilerServices;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Tests.TestSupport;

internal static class TorchModuleInitializer
{
    // Every test may touch TorchSharp; its natives must be loaded (and patched where needed) first.
#pragma warning disable CA2255 // a test assembly is the entry point here, not a reusable library
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() => TorchRuntime.EnsureInitialized();
}
