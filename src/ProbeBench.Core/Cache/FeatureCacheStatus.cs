namespace ProbeBench.Core.Cache;

/// <summary>
/// What a fully verified look at one entry found. <see cref="ResumeRow"/> is where a writer opened now would
/// start (0 for missing or corrupt entries, which are rebuilt from scratch). <see cref="Problem"/> names the file
/// at fault: set for corrupt entries, and for partial ones whose later chunks will be recomputed.
/// </summary>
public sealed record FeatureCacheStatus(string Key, FeatureCacheState State, int ResumeRow, int ExpectedRows, string? Problem)
{
    public bool IsUsable => State == FeatureCacheState.Complete;
}
