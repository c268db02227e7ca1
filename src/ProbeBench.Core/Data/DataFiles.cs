using System.Text;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Data;

/// <summary>One non-blank line of a dataset's text file, trimmed, with its 1-based number in the file (for errors).</summary>
public readonly record struct NumberedLine(int Number, string Text);

/// <summary>Reading the small text files datasets define their splits with: one-line errors, and paths that stay inside the dataset folder.</summary>
public static class DataFiles
{
    /// <summary>
    /// Largest split, label or class-name text file read (64 MiB). The largest published one (ImageNet's 50,000-line
    /// validation ground truth, BTS's 24,231-line nyu_train.txt) is a few MB; a bigger one is not a split file.
    /// </summary>
    public const long MaxTextBytes = 64L << 20;

    /// <summary>Longest piece of a file's text quoted in an error; longer text is cut with "…".</summary>
    private const int MaxQuoted = 120;

    public static string[] ReadLines(string path, string dataset) => ReadNumberedLines(path, dataset).Select(l => l.Text).ToArray();

    /// <summary>The trimmed non-blank lines of <paramref name="path"/>, each with its line number in the file.</summary>
    public static NumberedLine[] ReadNumberedLines(string path, string dataset)
    {
        var text = ReadText(path, dataset);
        var lines = new List<NumberedLine>();
        var number = 0;
        using var reader = new StringReader(text);
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            number++;
            var trimmed = line.Trim();
            if (trimmed.Length > 0) lines.Add(new NumberedLine(number, trimmed));
        }
        return lines.ToArray();
    }

    /// <summary>The whole text of a split or annotation file (a regular file of at most <see cref="MaxTextBytes"/>).</summary>
    public static string ReadText(string path, string dataset)
    {
        // As File.ReadAllText: UTF-8 unless a byte-order mark says otherwise, the mark itself dropped.
        using var reader = new StreamReader(new MemoryStream(ReadAll(path, dataset, MaxTextBytes, "a split or annotation file")), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>A whole small binary file (a depth or label map), refusing one above <see cref="ImageDecoder.MaxFileBytes"/>.</summary>
    public static byte[] ReadBytes(string path, string what)
    {
        var status = FileStatus.Of(path);
        if (status.Kind != FileKind.Regular) throw new ProbeBenchException($"The {what} {path} is {status.Describe()}.");
        if (status.Size > ImageDecoder.MaxFileBytes)
            throw new ProbeBenchException($"The {what} {path} holds {status.Size} bytes, above the {ImageDecoder.MaxFileBytes >> 20} MB limit.");
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"Could not read the {what} {path} ({e.Message}).", inner: e);
        }
    }

    /// <summary>
    /// The bytes of a dataset file held in memory whole (a CIFAR batch, a MAT or IDX file): it must be a regular file
    /// (a FIFO would block the read forever) of at most <paramref name="maxBytes"/>; <paramref name="what"/> says what
    /// the file is for the size error ("a MAT file").
    /// </summary>
    public static byte[] ReadAll(string path, string dataset, long maxBytes, string what)
    {
        var status = FileStatus.Of(path);
        if (status.Kind != FileKind.Regular)
            throw new ProbeBenchException($"{dataset}: {path} is {status.Describe()}; download the dataset (probebench datasets download {dataset}) or point --dataset-path at it.");
        if (status.Size > maxBytes)
            throw new ProbeBenchException($"{dataset}: {path} holds {status.Size} bytes, more than the {maxBytes} bytes ProbeBench reads from {what}.");
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProbeBenchException($"{dataset}: could not read {path} ({e.Message}).", inner: e);
        }
    }

    /// <summary><paramref name="relative"/> (forward slashes, from a split file) under <paramref name="folder"/>, refusing absolute paths and '..'.</summary>
    public static string Under(string folder, string relative, string fileForErrors)
    {
        var parts = relative.Split('/', '\\', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || Path.IsPathRooted(relative) && !relative.StartsWith('/') || parts.Any(p => p is ".." or "." || p.Any(char.IsControl)))
            throw new ProbeBenchException($"{fileForErrors} names the image {Quote(relative)}, which is not a plain relative path.");
        return Path.Combine([folder, .. parts]);
    }

    /// <summary>
    /// <paramref name="relative"/> as a key for "is this image listed twice": the parts <see cref="Under"/> keeps, joined by '/',
    /// so <c>a//b.jpg</c> and <c>a\b.jpg</c> are the same image as <c>a/b.jpg</c> (they open the same file).
    /// </summary>
    public static string RelativeKey(string relative) => string.Join('/', relative.Split('/', '\\', StringSplitOptions.RemoveEmptyEntries));

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
            throw new ProbeBenchException($"{file}: line {lineNumber} has {Quote(text)} where a whole number belongs.");
        return value;
    }

    /// <summary>
    /// <paramref name="text"/> from a dataset file in single quotes for an error message: control characters (a line
    /// break in a MAT string or JSON key would split the one-line error) written as \uXXXX, and cut after 120 characters.
    /// </summary>
    public static string Quote(string text)
    {
        var cut = text.Length > MaxQuoted;
        var shown = new StringBuilder("'");
        foreach (var c in cut ? text[..MaxQuoted] : text)
            if (char.IsControl(c)) shown.Append($"\\u{(int)c:x4}");
            else shown.Append(c);
        return shown.Append(cut ? "…'" : "'").ToString();
    }
}
