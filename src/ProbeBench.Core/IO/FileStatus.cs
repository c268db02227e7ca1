using System.Runtime.InteropServices;

namespace ProbeBench.Core.IO;

/// <summary>What kind of file system object a path is, after following links.</summary>
public enum FileKind { Missing, Regular, Directory, Other }

/// <summary>
/// One <c>stat(2)</c> of a path (links followed): kind, size, modification time and the (device, inode) identity that
/// tells two paths to one folder apart from two folders. .NET's FileInfo reports the link itself and cannot tell a FIFO
/// or device from an empty file, so on Linux x86-64 this reads glibc's <c>struct stat</c> directly (its layout there is
/// fixed by the ABI); elsewhere it falls back to the managed view (no FIFO detection, path-based identity).
/// </summary>
public readonly record struct FileStatus(FileKind Kind, long Size, long ModifiedTicks, ulong Device, ulong Inode)
{
    private const uint TypeMask = 0xF000, TypeRegular = 0x8000, TypeDirectory = 0x4000;

    private static readonly bool Native = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    public static FileStatus Of(string path) => Native ? NativeStat(path) : ManagedStat(path);

    private static unsafe FileStatus NativeStat(string path)
    {
        // x86-64 struct stat: st_dev @0, st_ino @8, st_mode @24 (u32), st_size @48, st_mtim @88 (sec) / @96 (nsec); 144 bytes.
        var buffer = stackalloc byte[256];
        if (stat(path, buffer) != 0) return new FileStatus(FileKind.Missing, 0, 0, 0, 0);
        var mode = *(uint*)(buffer + 24);
        var kind = (mode & TypeMask) switch { TypeRegular => FileKind.Regular, TypeDirectory => FileKind.Directory, _ => FileKind.Other };
        var seconds = *(long*)(buffer + 88);
        var nanoseconds = *(long*)(buffer + 96);
        return new FileStatus(kind, *(long*)(buffer + 48), seconds * TimeSpan.TicksPerSecond + nanoseconds / 100, *(ulong*)buffer, *(ulong*)(buffer + 8));
    }

    private static FileStatus ManagedStat(string path)
    {
        FileSystemInfo? info = Directory.Exists(path) ? new DirectoryInfo(path) : File.Exists(path) ? new FileInfo(path) : null;
        if (info?.LinkTarget is not null) info = info.ResolveLinkTarget(returnFinalTarget: true);
        return info switch
        {
            FileInfo { Exists: true } f => new FileStatus(FileKind.Regular, f.Length, f.LastWriteTimeUtc.Ticks, 0, (ulong)f.FullName.GetHashCode()),
            DirectoryInfo { Exists: true } d => new FileStatus(FileKind.Directory, 0, d.LastWriteTimeUtc.Ticks, 0, (ulong)d.FullName.GetHashCode()),
            _ => new FileStatus(FileKind.Missing, 0, 0, 0, 0),
        };
    }

    [DllImport("libc", SetLastError = true)]
    private static extern unsafe int stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte* buffer);

    public string Describe() => Kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a folder",
        _ => "not a regular file (a FIFO, socket or device)",
    };
}
