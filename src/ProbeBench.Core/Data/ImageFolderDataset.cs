using System.Security.Cryptography;
using System.Text;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Data;

/// <summary>
/// A folder of labelled images laid out as torchvision's ImageFolder: <c>root/[split/]class/*.{jpg,jpeg,png,bmp,webp}</c>.
/// Classes are the sub-folder names sorted ordinally; files are listed in ordinal order of their relative path.
/// </summary>
public sealed class ImageFolderDataset : IImageDataset
{
    private readonly IReadOnlyList<(string Path, int Label)> _items;
    private readonly Lazy<string> _fingerprint;

    private readonly string _splitFolder;

    private ImageFolderDataset(string name, string split, string splitFolder, IReadOnlyList<string> classNames,
        IReadOnlyList<(string Path, int Label)> items, IReadOnlyList<string> skipped)
    {
        _splitFolder = splitFolder;
        Name = name;
        Split = split;
        ClassNames = classNames;
        _items = items;
        Skipped = skipped;
        _fingerprint = new Lazy<string>(ComputeFingerprint, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Name { get; }
    public string Split { get; }
    public int Count => _items.Count;
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Images left out because they could not be decoded (only with <see cref="ImageFolderOptions.SkipUndecodable"/>).</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>SHA-256 over every file's relative path, label and content, in order (computed on first use).</summary>
    public string Fingerprint => _fingerprint.Value;

    public string PathOf(int index) => _items[index].Path;

    public int GetLabel(int index) => _items[index].Label;

    public RgbImage Load(int index) => ImageDecoder.DecodeRgb(_items[index].Path);

    /// <summary>
    /// Opens <c>root/split</c> when <paramref name="split"/> is given, else <paramref name="root"/> itself, as a
    /// folder of class folders.
    /// </summary>
    public static ImageFolderDataset Open(string root, string? split, ImageFolderOptions? options = null)
    {
        options ??= new ImageFolderOptions();
        root = Path.GetFullPath(root);
        if (!Directory.Exists(root))
            throw new ProbeBenchException($"The image folder {root} does not exist.");
        var splitFolder = string.IsNullOrEmpty(split) ? root : Path.Combine(root, split);
        if (!Directory.Exists(splitFolder))
            throw new ProbeBenchException($"The image folder {root} has no '{split}' split folder ({splitFolder}).");

        var classFolders = Directory.GetDirectories(splitFolder).OrderBy(Path.GetFileName, StringComparer.Ordinal).ToList();
        if (classFolders.Count == 0)
            throw new ProbeBenchException($"The image folder {splitFolder} has no class sub-folders.");

        var items = new List<(string Path, int Label)>();
        for (var label = 0; label < classFolders.Count; label++)
        {
            var files = Directory.EnumerateFiles(classFolders[label], "*", SearchOption.AllDirectories)
                .Where(f => ImageDecoder.Extensions.Contains(Path.GetExtension(f)))
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToList();
            if (files.Count == 0)
                throw new ProbeBenchException($"The class folder {classFolders[label]} holds no .jpg, .jpeg, .png, .bmp or .webp images.");
            items.AddRange(files.Select(f => (f, label)));
        }

        var skipped = new List<string>();
        if (options.SkipUndecodable)
        {
            var bad = new bool[items.Count];
            Parallel.For(0, items.Count, i =>
            {
                try { ImageDecoder.DecodeRgb(items[i].Path); }
                catch (ProbeBenchException) { bad[i] = true; }
            });
            skipped.AddRange(items.Where((_, i) => bad[i]).Select(item => item.Path));
            items = items.Where((_, i) => !bad[i]).ToList();
            if (items.Count == 0)
                throw new ProbeBenchException($"No image under {splitFolder} could be decoded.");
        }

        var classNames = classFolders.Select(f => Path.GetFileName(f)).ToList();
        var name = Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar));
        return new ImageFolderDataset(name, split ?? "", splitFolder, classNames, items, skipped);
    }

    private string ComputeFingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"imagefolder|{string.Join('/', ClassNames)}|"));
        foreach (var (path, label) in _items)
        {
            var relative = Path.GetRelativePath(_splitFolder, path).Replace('\\', '/');
            var digest = FileHashing.Sha256(path);
            hash.AppendData(Encoding.UTF8.GetBytes($"{relative}|{label}|{digest}\n"));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
