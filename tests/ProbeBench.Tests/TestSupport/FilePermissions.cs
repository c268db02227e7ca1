namespace ProbeBench.Tests.TestSupport;

/// <summary>
/// Tests of unreadable files (chmod 000) must fail for root too, where CAP_DAC_OVERRIDE ignores file modes. As root the
/// CLI then runs under <c>setpriv</c> (util-linux) with CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH dropped, so root is
/// held to the modes like anyone else; without setpriv such tests are skipped (<see cref="PermissionsFactAttribute"/>).
/// </summary>
public static class FilePermissions
{
    public static bool RunningAsRoot { get; } = Environment.UserName == "root";

    public static string? SetPriv { get; } = new[] { "/usr/bin/setpriv", "/bin/setpriv" }.FirstOrDefault(File.Exists);

    public static IReadOnlyList<string> DropOverrideArguments { get; } =
        ["--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"];

    public static string? SkipReason =>
        !RunningAsRoot ? null
        : SetPriv is null ? "running as root, where chmod 000 does not stop reads, and setpriv (util-linux) is not installed to drop CAP_DAC_OVERRIDE"
        : !CanDrop.Value ? "running as root, where chmod 000 does not stop reads, and setpriv may not drop CAP_DAC_OVERRIDE here (no CAP_SETPCAP)"
        : null;

    // setpriv needs CAP_SETPCAP to shrink the bounding set; some containers withhold it.
    private static readonly Lazy<bool> CanDrop = new(() =>
    {
        var info = new System.Diagnostics.ProcessStartInfo(SetPriv!) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in DropOverrideArguments) info.ArgumentList.Add(a);
        info.ArgumentList.Add("true");
        using var process = System.Diagnostics.Process.Start(info);
        if (process is null) return false;
        process.WaitForExit();
        return process.ExitCode == 0;
    });

    /// <summary>Makes <paramref name="path"/> (file or folder) inaccessible: mode 000.</summary>
    public static void Deny(string path) => SetMode(path, UnixFileMode.None);

    /// <summary>Read and search only, for the owner: a folder nothing can be written into.</summary>
    public static void ReadOnly(string path) => SetMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);

    /// <summary>Gives the owner back full access (so the temp folder can be removed).</summary>
    public static void Restore(string path) => SetMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("file modes are a Unix notion");
        File.SetUnixFileMode(path, mode);
    }
}

/// <summary>A fact about unreadable files; skipped (with the reason) where it could not fail.</summary>
public sealed class PermissionsFactAttribute : FactAttribute
{
    public PermissionsFactAttribute()
    {
        if (FilePermissions.SkipReason is { } reason) Skip = reason;
    }
}

/// <summary>A fact that needs both <c>../shared</c> and binding file modes.</summary>
public sealed class SharedPermissionsFactAttribute : FactAttribute
{
    public SharedPermissionsFactAttribute()
    {
        if (!SharedFixtures.Available) Skip = SharedFixtures.MissingMessage;
        else if (FilePermissions.SkipReason is { } reason) Skip = reason;
    }
}
