using ProbeBench.Core.Runtime;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Runtime;

public class HostMemoryTests
{
    private static string MemInfo(TempDirectory dir, long availableKib)
    {
        var path = dir.File("meminfo");
        File.WriteAllText(path, $"MemTotal:       32000000 kB\nMemFree:         1000000 kB\nMemAvailable:   {availableKib} kB\n");
        return path;
    }

    [Fact]
    public void A_cgroup_v2_limit_caps_what_the_host_reports()
    {
        using var dir = new TempDirectory();
        var cgroup = Directory.CreateDirectory(dir.File("cg")).FullName;
        File.WriteAllText(Path.Combine(cgroup, "memory.max"), "1073741824\n");
        File.WriteAllText(Path.Combine(cgroup, "memory.current"), "268435456\n");

        Assert.Equal(805306368, HostMemory.AvailableBytes(MemInfo(dir, 8_000_000), cgroup));
    }

    [Fact]
    public void The_cgroup_s_inactive_file_cache_counts_as_available()
    {
        using var dir = new TempDirectory();
        var cgroup = Directory.CreateDirectory(dir.File("cg")).FullName;
        File.WriteAllText(Path.Combine(cgroup, "memory.max"), "1073741824\n");
        File.WriteAllText(Path.Combine(cgroup, "memory.current"), "1073741824\n"); // full, but mostly page cache
        File.WriteAllText(Path.Combine(cgroup, "memory.stat"), "anon 268435456\nfile 805306368\nactive_file 0\ninactive_file 805306368\n");

        Assert.Equal(805306368, HostMemory.AvailableBytes(MemInfo(dir, 8_000_000), cgroup));
    }

    [Fact]
    public void No_cgroup_limit_leaves_mem_available()
    {
        using var dir = new TempDirectory();
        var cgroup = Directory.CreateDirectory(dir.File("cg")).FullName;
        File.WriteAllText(Path.Combine(cgroup, "memory.max"), "max\n");
        File.WriteAllText(Path.Combine(cgroup, "memory.current"), "268435456\n");

        Assert.Equal(8_000_000L * 1024, HostMemory.AvailableBytes(MemInfo(dir, 8_000_000), cgroup));
    }

    [Fact]
    public void A_cgroup_v1_limit_caps_it_and_its_no_limit_value_does_not()
    {
        using var dir = new TempDirectory();
        var memory = Directory.CreateDirectory(dir.File("cg", "memory")).FullName;
        File.WriteAllText(Path.Combine(memory, "memory.limit_in_bytes"), "2147483648\n");
        File.WriteAllText(Path.Combine(memory, "memory.usage_in_bytes"), "147483648\n");
        Assert.Equal(2_000_000_000, HostMemory.AvailableBytes(MemInfo(dir, 8_000_000), dir.File("cg")));

        File.WriteAllText(Path.Combine(memory, "memory.limit_in_bytes"), "9223372036854771712\n");
        Assert.Equal(8_000_000L * 1024, HostMemory.AvailableBytes(MemInfo(dir, 8_000_000), dir.File("cg")));
    }

    [Fact]
    public void Without_kernel_files_the_runtime_s_figure_is_used()
    {
        using var dir = new TempDirectory();
        Assert.Equal(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, HostMemory.AvailableBytes(dir.File("none"), dir.File("none-cg")));
    }
}
