using System.Diagnostics;

namespace ProbeBench.Tests.TestSupport;

/// <summary>
/// A tiny tmpfs mounted on a fresh folder, so a write past its size fails with "No space left on device" for real.
/// Needs root and a kernel that lets it mount; <see cref="TryMount"/> says null where it cannot. Dispose unmounts it.
/// </summary>
public sealed class FullDisk : IDisposable
{
    private readonly TempDirectory _parent;

    private FullDisk(TempDirectory parent, string path)
    {
        _parent = parent;
        Path = path;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public static FullDisk? TryMount(int kilobytes)
    {
        var parent = new TempDirectory();
        var path = Directory.CreateDirectory(parent.File("small-disk")).FullName;
        if (Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k", "tmpfs", path)) return new FullDisk(parent, path);
        parent.Dispose();
        return null;
    }

    public void Dispose()
    {
        Run("umount", Path);
        _parent.Dispose();
    }

    private static bool Run(string program, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
