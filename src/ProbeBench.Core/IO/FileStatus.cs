namespace ProbeBench.Core.IO;

/// <summary>
/// One stat of a path (links followed): kind, size, modification time and the (device, inode) identity that tells two
/// paths to one folder apart from two folders. Read through <see cref="FileKinds"/> on Linux x86-64; elsewhere the
/// managed view (no FIFO detection, path-based identity).
/// </summary>
public readonly record struct FileStatus(FileKind Kind, long Size, long ModifiedTicks, ulong Device, ulong Inode)
{
    public static FileStatus Of(string path)
    {
        if (FileKinds.TryStat(path) is { } stat)
            return new FileStatus(FileKinds.KindOf(stat.Mode), stat.Size, stat.ModifiedTicks, stat.Device, stat.Inode);
        if (FileKinds.Of(path) == FileKind.Missing || !(File.Exists(path) || Directory.Exists(path))) return new FileStatus(FileKind.Missing, 0, 0, 0, 0);
        FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        if (info.LinkTarget is not null) info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
        return info switch
        {
            FileInfo { Exists: true } f => new FileStatus(FileKind.Regular, f.Length, f.LastWriteTimeUtc.Ticks, 0, (ulong)f.FullName.GetHashCode()),
            DirectoryInfo { Exists: true } d => new FileStatus(FileKind.Directory, 0, d.LastWriteTimeUtc.Ticks, 0, (ulong)d.FullName.GetHashCode()),
            _ => new FileStatus(FileKind.Missing, 0, 0, 0, 0),
        };
    }

    public string Describe() => Kind switch
    {
        FileKind.Missing => "missing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a folder",
        FileKind.Unreachable => "unreachable (a folder on the way denies access)",
        _ => "not a regular file (a FIFO, socket or device)",
    };
}
