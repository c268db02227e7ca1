namespace ProbeBench.Core.Runtime;

/// <summary>
/// How much memory the machine can still give: Linux's MemAvailable, capped by the container's cgroup (v2
/// memory.max − (memory.current − inactive file cache), or v1's limit and usage the same way) because MemAvailable counts
/// the whole host; elsewhere what the runtime may use.
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
        var (folder, limitFile, usedFile, cacheKey) = File.Exists(Path.Combine(root, "memory.max"))
            ? (root, "memory.max", "memory.current", "inactive_file")
            : (Path.Combine(root, "memory"), "memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file");
        if (Number(Path.Combine(folder, limitFile)) is not { } limit || limit >= long.MaxValue / 2) return null;
        // Usage counts the page cache; its inactive part is given back under pressure, as docker and cAdvisor reckon.
        var used = Number(Path.Combine(folder, usedFile)) ?? 0;
        var reclaimable = Stat(Path.Combine(folder, "memory.stat"), cacheKey) ?? 0;
        return Math.Max(0, limit - Math.Max(0, used - reclaimable));
    }

    private static long? Stat(string path, string key)
    {
        foreach (var line in Lines(path))
            if (line.StartsWith(key + " ", StringComparison.Ordinal) && long.TryParse(line[(key.Length + 1)..].Trim(), out var value) && value >= 0)
                return value;
        return null;
    }

    private static long? Number(string path) =>
        Lines(path).FirstOrDefault() is { } text && long.TryParse(text.Trim(), out var value) && value >= 0 ? value : null;

    private static IEnumerable<string> Lines(string path)
    {
        try
        {
            // Small kernel files; a missing one (no cgroup, not Linux) simply has no lines.
            return File.Exists(path) ? File.ReadLines(path).Take(256).ToList() : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
