using ProbeBench.Core.Runtime;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Runtime;

public sealed class NativeHeapTests
{
    [Fact]
    public void Loading_torch_on_glibc_keeps_large_blocks_on_the_heap()
    {
        TorchRuntime.EnsureInitialized();

        Assert.Equal(OperatingSystem.IsLinux() ? "heap-reuse" : "default", NativeHeap.Mode);
    }

    [Fact]
    public void The_environment_variable_keeps_glibcs_defaults_and_env_says_which()
    {
        var tuned = CliProcess.Run(["env", "--device", "cpu"], new Dictionary<string, string?> { [NativeHeap.EnvironmentVariable] = null });
        var system = CliProcess.Run(["env", "--device", "cpu"], new Dictionary<string, string?> { [NativeHeap.EnvironmentVariable] = "system" });

        Assert.Equal(0, tuned.ExitCode);
        Assert.Contains("large blocks reused", tuned.StdOut);
        Assert.Equal(0, system.ExitCode);
        Assert.Contains("glibc's defaults (PROBEBENCH_MALLOC=system)", system.StdOut);
    }

    [Fact]
    public void Any_other_value_of_the_environment_variable_is_one_line_naming_it()
    {
        var outcome = CliProcess.Run(["env", "--device", "cpu"], new Dictionary<string, string?> { [NativeHeap.EnvironmentVariable] = "jemalloc\u001b[31m" });

        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("error: PROBEBENCH_MALLOC is 'jemalloc?[31m'; it takes one value, system (glibc's malloc defaults), or is unset.", outcome.StdErr.Trim());
    }
}
