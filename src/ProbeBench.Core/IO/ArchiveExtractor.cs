namespace ProbeBench.Core.IO;

/// <summary>How a downloaded file becomes files in a dataset folder.</summary>
public enum UnpackKind
{
    /// <summary>From the file name: .zip → zip, .tar/.tgz/.tar.gz → tar, other .gz → gunzip, else none.</summary>
    Auto,
    Tar,
    Zip,
    /// <summary>A single gzip-compressed file, written without its .gz suffix.</summary>
    Gunzip,
    /// <summary>Copied as it is.</summary>
    None,
}

/// <summary>Unpacks one file into a folder with the safe extractor its kind needs.</summary>
public static class ArchiveExtractor
{
    public static UnpackKind KindOf(string fileName, UnpackKind declared = UnpackKind.Auto)
    {
        if (declared != UnpackKind.Auto) return declared;
        var name = fileName.ToLowerInvariant();
        if (name.EndsWith(".zip")) return UnpackKind.Zip;
        if (name.EndsWith(".tar") || name.EndsWith(".tgz") || name.EndsWith(".tar.gz")) return UnpackKind.Tar;
        if (name.EndsWith(".gz")) return UnpackKind.Gunzip;
        return UnpackKind.None;
    }

    public static void Unpack(string file, string folder, UnpackKind kind)
    {
        switch (KindOf(Path.GetFileName(file), kind))
        {
            case UnpackKind.Tar:
                SafeTarExtractor.Extract(file, folder);
                break;
            case UnpackKind.Zip:
                SafeZipExtractor.Extract(file, folder);
                break;
            case UnpackKind.Gunzip:
                SafeGunzip.Extract(file, Path.Combine(folder, Path.GetFileNameWithoutExtension(file)));
                break;
            default:
                try
                {
                    Directory.CreateDirectory(folder);
                    File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new ProbeBenchException($"Could not copy {file} into {folder} ({e.Message}).", inner: e);
                }
                break;
        }
    }

    /// <summary>Extracts the one member <paramref name="member"/> of a zip or tar archive to <paramref name="destination"/>.</summary>
    public static void ExtractMember(string archive, string member, string destination)
    {
        var scratch = Path.Combine(Path.GetDirectoryName(destination)!, $".member-{Guid.NewGuid():N}");
        try
        {
            Unpack(archive, scratch, UnpackKind.Auto);
            var found = new ArchivePaths(scratch, archive).Resolve(member, member);
            if (FileStatus.Of(found).Kind != FileKind.Regular)
                throw new ProbeBenchException($"The archive {archive} has no file '{member}'.");
            File.Move(found, destination, overwrite: true);
        }
        finally
        {
            try { if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
