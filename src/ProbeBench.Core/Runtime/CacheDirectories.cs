namespace ProbeBench.Core.Runtime;

/// <summary>The per-user cache root: PROBEBENCH_CACHE, else $XDG_CACHE_HOME/probebench, else ~/.cache/probebench.</summary>
public static class CacheDirectories
{
    public const string EnvironmentVariable = "PROBEBENCH_CACHE";

    public static string Root()
    {
        var explicitRoot = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(explicitRoot)) return Path.GetFullPath(explicitRoot);
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg)) return Path.Combine(xdg, "probebench");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home)
            ? Path.Combine(Path.GetTempPath(), "probebench-cache")
            : Path.Combine(home, ".cache", "probebench");
    }

    public static string Sub(string name) => Path.Combine(Root(), name);

    /// <summary>The cache root in use: <paramref name="explicitRoot"/> when given, else <see cref="Root()"/>.</summary>
    public static string Root(string? explicitRoot) => string.IsNullOrWhiteSpace(explicitRoot) ? Root() : Path.GetFullPath(explicitRoot);

    /// <summary>Where datasets are downloaded to and read from: <paramref name="dataRoot"/> when given, else the cache root's <c>data</c> folder.</summary>
    public static string DataRoot(string? dataRoot, string? cacheRoot = null) =>
        string.IsNullOrWhiteSpace(dataRoot) ? Path.Combine(Root(cacheRoot), "data") : Path.GetFullPath(dataRoot);
}
