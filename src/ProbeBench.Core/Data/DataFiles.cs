using ProbeBench.Core.IO;

namespace ProbeBench.Core.Data;

/// <summary>Reading the small text files datasets define their splits with: one-line errors, and paths that stay inside the dataset folder.</summary>
public static class DataFiles
{
    public static string[] ReadLines(string path, string dataset)
    {
        var status = FileStatus.Of(path);
        if (status.Kind != FileKind.Regular)
            throw new ProbeBenchException($"{dataset}: {path} is {status.Describe()}; download the dataset (probebench datasets download {dataset}) or point --dataset-path at it.");
        try
        {
            return File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"{dataset}: could not read {path} ({e.Message}).", inner: e);
        }
    }

    /// <summary>A whole small binary file (a depth or label map), refusing one above <see cref="ImageDecoder.MaxFileBytes"/>.</summary>
    public static byte[] ReadBytes(string path, string what)
    {
        try
        {
            var length = new FileInfo(path).Length;
            if (length > ImageDecoder.MaxFileBytes)
                throw new ProbeBenchException($"The {what} {path} holds {length} bytes, above the {ImageDecoder.MaxFileBytes >> 20} MB limit.");
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Could not read the {what} {path} ({e.Message}).", inner: e);
        }
    }

    public static string ReadText(string path, string dataset) => string.Join('\n', ReadLines(path, dataset));

    /// <summary><paramref name="relative"/> (forward slashes, from a split file) under <paramref name="folder"/>, refusing absolute paths and '..'.</summary>
    public static string Under(string folder, string relative, string fileForErrors)
    {
        var parts = relative.Split('/', '\\', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || Path.IsPathRooted(relative) && !relative.StartsWith('/') || parts.Any(p => p is ".." or "."))
            throw new ProbeBenchException($"{fileForErrors} names the image '{relative}', which is not a plain relative path.");
        return Path.Combine([folder, .. parts]);
    }

    /// <summary>The sub-folders of <paramref name="folder"/> (links followed), sorted ordinally by name.</summary>
    public static List<string> SubFolders(string folder, string dataset)
    {
        try
        {
            return Directory.GetDirectories(folder).Where(d => FileStatus.Of(d).Kind == FileKind.Directory)
                .OrderBy(Path.GetFileName, StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"{dataset}: could not list {folder} ({e.Message}).", inner: e);
        }
    }

    /// <summary>The files directly in <paramref name="folder"/> whose extension is one of <paramref name="extensions"/>, sorted ordinally.</summary>
    public static List<string> FilesIn(string folder, string dataset, params string[] extensions)
    {
        try
        {
            return Directory.GetFiles(folder).Where(f => extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"{dataset}: could not list {folder} ({e.Message}).", inner: e);
        }
    }

    /// <summary>Splits "a b c" on runs of white space.</summary>
    public static string[] Fields(string line) => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    public static int Integer(string text, string file, int lineNumber)
    {
        if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
            throw new ProbeBenchException($"{file}: line {lineNumber} has '{text}' where a whole number belongs.");
        return value;
    }
}
