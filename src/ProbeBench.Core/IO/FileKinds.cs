using System.Runtime.InteropServices;

namespace ProbeBench.Core.IO;

/// <summary>What a path names on disk. <see cref="Special"/> is a FIFO, device or socket; <see cref="Unreachable"/>: a folder on the way denies access (or links loop).</summary>
public enum FileKind { Missing, Regular, Directory, SymbolicLink, Special, Unreachable }

/// <summary>
/// The file type of a path as <c>lstat</c>/<c>stat</c> report it, which .NET does not expose (it calls a FIFO and
/// /dev/null "Normal" files). Needed because a FIFO named like a config blocks its reader forever, and an atomic
/// write renames over its destination, which as root would replace a device node such as /dev/null.
/// </summary>
public static partial class FileKinds
{
    private const uint TypeMask = 0xF000, RegularType = 0x8000, DirectoryType = 0x4000, LinkType = 0xA000;
    private const int NoEntry = 2, NotDirectory = 20;

    /// <summary>The kind of <paramref name="path"/>; with <paramref name="followLinks"/> a link is the kind of its target.</summary>
    public static FileKind Of(string path, bool followLinks = true)
    {
        uint? mode;
        int errno;
        try
        {
            mode = Native ? ModeOf(path, followLinks, out errno) : throw new PlatformNotSupportedException();
        }
        catch (Exception e) when (e is PlatformNotSupportedException or DllNotFoundException or EntryPointNotFoundException)
        {
            // Where stat cannot be called (not x86-64 glibc), what .NET can tell: no FIFOs or devices are recognised.
            if (!followLinks && IsLink(path)) return FileKind.SymbolicLink;
            return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Missing;
        }
        if (mode is null)
            return errno is NoEntry or NotDirectory ? FileKind.Missing : FileKind.Unreachable;
        return KindOf(mode.Value);
    }

    private static bool IsLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// The device and inode of what <paramref name="path"/> names (links followed), or null where it cannot be read or
    /// the platform is not x86-64 Linux: two paths with the same identity are the same file, however they are spelled.
    /// </summary>
    public static (ulong Device, ulong Inode)? Identity(string path)
    {
        if (!Native) return null;
        try
        {
            return StatOf(path, followLinks: true, out _) is { } stat ? (stat.Device, stat.Inode) : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    private static bool Native => OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64;

    private static uint? ModeOf(string path, bool followLinks, out int errno) => StatOf(path, followLinks, out errno)?.Mode;

    /// <summary>One stat of <paramref name="path"/> (links followed) where the platform allows, else null: mode, identity, size, time.</summary>
    internal static (ulong Device, ulong Inode, uint Mode, long Size, long ModifiedTicks)? TryStat(string path)
    {
        if (!Native) return null;
        try
        {
            return StatOf(path, followLinks: true, out _);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    internal static FileKind KindOf(uint mode) => (mode & TypeMask) switch
    {
        RegularType => FileKind.Regular,
        DirectoryType => FileKind.Directory,
        LinkType => FileKind.SymbolicLink,
        _ => FileKind.Special,
    };

    // struct stat on x86-64 Linux: st_dev @0, st_ino @8, st_nlink @16, st_mode @24 (u32), st_size @48, st_mtim @88 (s) / @96 (ns); 144 bytes.
    private static unsafe (ulong Device, ulong Inode, uint Mode, long Size, long ModifiedTicks)? StatOf(string path, bool followLinks, out int errno)
    {
        var buffer = stackalloc byte[256];
        int status;
        try
        {
            status = followLinks ? Stat(path, buffer) : LinkStat(path, buffer);
        }
        catch (EntryPointNotFoundException)
        {
            // glibc before 2.33 exports stat and lstat only as __xstat/__lxstat (version 1 is the x86-64 layout).
            status = followLinks ? OldStat(1, path, buffer) : OldLinkStat(1, path, buffer);
        }
        errno = status == 0 ? 0 : Marshal.GetLastPInvokeError();
        return status == 0
            ? (*(ulong*)buffer, *(ulong*)(buffer + 8), *(uint*)(buffer + 24), *(long*)(buffer + 48), *(long*)(buffer + 88) * TimeSpan.TicksPerSecond + *(long*)(buffer + 96) / 100)
            : null;
    }

    [LibraryImport("libc.so.6", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Stat(string path, byte* buffer);

    [LibraryImport("libc.so.6", EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int LinkStat(string path, byte* buffer);

    [LibraryImport("libc.so.6", EntryPoint = "__xstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int OldStat(int version, string path, byte* buffer);

    [LibraryImport("libc.so.6", EntryPoint = "__lxstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int OldLinkStat(int version, string path, byte* buffer);
}
