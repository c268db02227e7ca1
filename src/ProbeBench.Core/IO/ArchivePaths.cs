namespace ProbeBench.Core.IO;

/// <summary>
/// The rules every archive entry passes (tar and zip alike): a relative name without <c>..</c> that climbs out, landing
/// inside the target folder. Links are never created on disk: a link to a file already unpacked inside the archive is
/// materialised as a copy of it, anything else (a link to a folder, outside, absolute, or to an entry not yet unpacked)
/// is refused. With no link on disk the operating system has nothing to follow, so a lexical check is the whole check.
/// Every byte written (files and link copies alike) is charged against <paramref name="maxBytes"/>, so neither a
/// compressed bomb nor a small archive of links that copy one big file many times can fill the disk.
/// </summary>
public sealed class ArchivePaths(string root, string archiveName, long maxBytes = long.MaxValue)
{
    private long written;

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Bytes that may still be written.</summary>
    public long Remaining => maxBytes - written;

    /// <summary>Counts <paramref name="bytes"/> written for <paramref name="entryName"/>; past the bound it is an error naming the entry.</summary>
    public void Charge(string entryName, long bytes)
    {
        written += bytes;
        if (written > maxBytes) throw OverBudget(entryName);
    }

    public ProbeBenchException OverBudget(string entryName) =>
        Refused(entryName, $"takes the unpacked size past {maxBytes} bytes ({SafeZipExtractor.MaxExpansion}× the archive's size: a bomb, or links that copy one file many times?)");

    /// <summary>The full path of entry <paramref name="name"/>, or an error when it would land outside <see cref="Root"/>.</summary>
    public string Resolve(string name, string entryName)
    {
        if (string.IsNullOrEmpty(name) || Path.IsPathRooted(name) || name.StartsWith('/') || name.StartsWith('\\') || name.Contains('\0'))
            throw Refused(entryName, "has an absolute or empty path");
        var full = Path.GetFullPath(Path.Combine(Root, name));
        var rootWithSeparator = Root.EndsWith(Path.DirectorySeparatorChar) ? Root : Root + Path.DirectorySeparatorChar;
        if (full != Root && !full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
            throw Refused(entryName, "would land outside the target folder");
        return full;
    }

    /// <summary>
    /// A symbolic link entry: copies the regular file its target names (relative to the link's folder, inside the root,
    /// already unpacked) to the link's place; refuses every other link.
    /// </summary>
    public void MaterialiseSymbolicLink(string entryName, string linkTarget)
    {
        var destination = Resolve(entryName, entryName);
        if (string.IsNullOrEmpty(linkTarget) || Path.IsPathRooted(linkTarget))
            throw Refused(entryName, $"is a symbolic link to the absolute path {linkTarget}");
        var folder = Path.GetDirectoryName(destination)!;
        var target = Resolve(Path.GetRelativePath(Root, Path.Combine(folder, linkTarget)), entryName);
        CopyUnpackedFile(entryName, target, destination, "symbolic link");
    }

    /// <summary>A hard link entry: its target is an archive path (relative to the root), copied like a symbolic link's.</summary>
    public void MaterialiseHardLink(string entryName, string linkTarget)
    {
        var destination = Resolve(entryName, entryName);
        CopyUnpackedFile(entryName, Resolve(linkTarget, entryName), destination, "hard link");
    }

    public ProbeBenchException Refused(string entryName, string why) =>
        new($"The archive {archiveName} entry '{entryName}' {why}; refusing to unpack it.");

    private void CopyUnpackedFile(string entryName, string target, string destination, string kind)
    {
        // Nothing in the root is a link (none is ever made), so a regular file here is inside the root for real.
        if (FileStatus.Of(target).Kind != FileKind.Regular)
            throw Refused(entryName, $"is a {kind} to '{Path.GetRelativePath(Root, target)}', which is not a file unpacked before it");
        Charge(entryName, new FileInfo(target).Length);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        File.Copy(target, destination, overwrite: true);
    }
}
