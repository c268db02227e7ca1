namespace ProbeBench.Tests.TestSupport;

/// <summary>Locates <c>../shared</c> (the reference fixtures) beside the repository checkout.</summary>
public static class SharedFixtures
{
    private static readonly Lazy<string?> LazyRoot = new(FindRoot);

    /// <summary>The <c>shared</c> folder, or null when it is not beside the checkout.</summary>
    public static string? Root => LazyRoot.Value;

    public static bool Available => Root is not null;

    /// <summary>The repository root (the folder holding ProbeBench.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Path under <c>shared/</c>; throws when shared is absent (guard tests with <see cref="SharedFactAttribute"/>).</summary>
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([Root ?? throw new InvalidOperationException(MissingMessage), .. parts]);

    public static string MissingMessage =>
        $"../shared is not beside the checkout at {RepositoryRoot} (set PROBEBENCH_SHARED to its location)";

    private static string? FindRoot()
    {
        var fromEnv = Environment.GetEnvironmentVariable("PROBEBENCH_SHARED");
        if (!string.IsNullOrEmpty(fromEnv) && Directory.Exists(System.IO.Path.Combine(fromEnv, "fixtures")))
            return System.IO.Path.GetFullPath(fromEnv);
        var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot, "..", "shared"));
        return Directory.Exists(System.IO.Path.Combine(candidate, "fixtures")) ? candidate : null;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ProbeBench.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"ProbeBench.sln was not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>A fact that needs <c>../shared</c>; skipped with a clear message where it is absent.</summary>
public sealed class SharedFactAttribute : FactAttribute
{
    public SharedFactAttribute()
    {
        if (!SharedFixtures.Available) Skip = SharedFixtures.MissingMessage;
    }
}

/// <summary>A theory that needs <c>../shared</c>; skipped with a clear message where it is absent.</summary>
public sealed class SharedTheoryAttribute : TheoryAttribute
{
    public SharedTheoryAttribute()
    {
        if (!SharedFixtures.Available) Skip = SharedFixtures.MissingMessage;
    }
}
