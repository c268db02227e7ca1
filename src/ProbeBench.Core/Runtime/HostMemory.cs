namespace ProbeBench.Core.Runtime;

/// <summary>
/// How much memory the machine can still give: Linux's MemAvailable, capped by the container's cgroup (v2
/// memory.max − memory.current, or v1 limit − usage) because MemAvailable counts the whole host; elsewhere what the
/// runtime may use.
/// </summary>
public static class HostMemory
{
    public static long? AvailableBytes() => AvailableBytes("/proc/meminfo", "/sys/fs/cgroup");

    internal static long? AvailableBytes(string meminfo, string cgroupRoot)
    {
        var host = MemAvailable(meminfo);
        var container = CgroupHeadroom(cgroupRoot);
        if (host is null && container is null)
        {
            var total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            return total > 0 ? total : null;
        }
        return host is { } h && container is { } c ? Math.Min(h, c) : host ?? container;
    }

    private static long? MemAvailable(string meminfo)
    {
        foreach (var line in Lines(meminfo))
            if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                && long.TryParse(line["MemAvailable:".Length..].Trim().Split(' ')[0], out var kib) && kib >= 0)
                return kib * 1024;
        return null;
    }

    private static long? CgroupHeadroom(string root)
    {
        // v2 writes "max" for no limit; v1 writes a huge number (page-rounded long.MaxValue) instead.
        var limit = Number(Path.Combine(root, "memory.max")) ?? Number(Path.Combine(root, "memory", "memory.limit_in_bytes"));
        var used = Number(Path.Combine(root, "memory.current")) ?? Number(Path.Combine(root, "memory", "memory.usage_in_bytes"));
        if (limit is not { } l || l >= long.MaxValue / 2) return null;
        return Math.Max(0, l - (used ?? 0));
    }

    private static long? Number(string path) =>
        Lines(path).FirstOrDefault() is { } text && long.TryParse(text.Trim(), out var value) && value >= 0 ? value : null;

    private static IEnumerable<string> Lines(string path)
    {
        try
        {
            // Small kernel files; a missing one (no cgroup, not Linux) simply has no lines.
            return File.Exists(path) ? File.ReadLines(path).Take(64).ToList() : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
