using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Data;

/// <summary>
/// A folder of labelled images laid out as torchvision's ImageFolder: <c>root/[split/]class/*.{jpg,jpeg,png,bmp,webp,ppm}</c>.
/// Classes are the sub-folder names sorted ordinally; files are listed in ordinal order of their path (links followed,
/// each folder once, only regular files). The fingerprint is a hash of every file's relative path, label, size and
/// modification time, so opening reads no image; <see cref="ImageFolderOptions.VerifyData"/> hashes contents instead.
/// </summary>
public sealed class ImageFolderDataset : IImageDataset
{
    private readonly IReadOnlyList<(string Path, int Label)> _items;
    private readonly Lazy<string> _fingerprint;

    private readonly string _splitFolder;

    private ImageFolderDataset(string name, string split, string splitFolder, IReadOnlyList<string> classNames,
        IReadOnlyList<(string Path, int Label)> items, IReadOnlyList<string> skipped, Func<string> fingerprint)
    {
        _splitFolder = splitFolder;
        Name = name;
        Split = split;
        ClassNames = classNames;
        _items = items;
        Skipped = skipped;
        _fingerprint = new Lazy<string>(fingerprint, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Name { get; }
    public string Split { get; }
    public int Count => _items.Count;
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Images left out because they could not be decoded or are not regular files (only with <see cref="ImageFolderOptions.SkipUndecodable"/>).</summary>
    public IReadOnlyList<string> Skipped { get; }

    public string Fingerprint => _fingerprint.Value;

    public string PathOf(int index) => _items[index].Path;

    public string IdOf(int index) => Path.GetRelativePath(_splitFolder, _items[index].Path).Replace('\\', '/');

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
        if (FileStatus.Of(root).Kind != FileKind.Directory)
            throw new ProbeBenchException($"The image folder {root} does not exist.");
        var splitFolder = string.IsNullOrEmpty(split) ? root : Path.Combine(root, split);
        if (FileStatus.Of(splitFolder).Kind != FileKind.Directory)
            throw new ProbeBenchException($"The image folder {root} has no '{split}' split folder ({splitFolder}).");

        var clock = Stopwatch.StartNew();
        var classFolders = DataFiles.SubFolders(splitFolder, splitFolder);
        if (classFolders.Count == 0)
            throw new ProbeBenchException($"The image folder {splitFolder} has no class sub-folders.");

        var seen = 0;
        var lastReport = Stopwatch.StartNew();
        void OnFile()
        {
            if (++seen % 5000 == 0 && lastReport.Elapsed > TimeSpan.FromSeconds(0.5))
            {
                options.Progress?.Invoke($"indexing {splitFolder}: {seen:N0} files");
                lastReport.Restart();
            }
        }
        var skipped = new List<string>();
        var files = new List<(ImageFolderWalker.Found File, int Label)>();
        for (var label = 0; label < classFolders.Count; label++)
        {
            var images = ImageFolderWalker.Images(classFolders[label], OnFile, options.SkipUndecodable ? skipped : null);
            if (images.Count == 0)
                throw new ProbeBenchException($"The class folder {classFolders[label]} holds no .jpg, .jpeg, .png, .bmp, .webp or .ppm images.");
            files.AddRange(images.Select(f => (f, label)));
        }

        var index = new ImageFolderIndex(options.IndexFolder, splitFolder);
        string Relative(string path) => Path.GetRelativePath(splitFolder, path).Replace('\\', '/');
        var facts = files.Select(f => index.Facts(Relative(f.File.Path), f.File.Status)).ToArray();
        if (options.SkipUndecodable)
        {
            Parallel.For(0, files.Count, i =>
            {
                if (facts[i].Decodes is not null) return;
                bool decodes;
                try { ImageDecoder.DecodeRgb(files[i].File.Path); decodes = true; }
                catch (ProbeBenchException) { decodes = false; }
                facts[i] = facts[i] with { Decodes = decodes };
            });
        }
        var kept = Enumerable.Range(0, files.Count).Where(i => facts[i].Decodes != false).ToList();
        skipped.AddRange(Enumerable.Range(0, files.Count).Where(i => facts[i].Decodes == false).Select(i => files[i].File.Path));
        if (kept.Count == 0)
            throw new ProbeBenchException($"No image under {splitFolder} could be decoded.");

        var items = kept.Select(i => (files[i].File.Path, files[i].Label)).ToList();
        var classNames = classFolders.Select(f => Path.GetFileName(f)).ToList();
        var header = $"imagefolder-v2|{string.Join('/', classNames)}|";

        string StatFingerprint()
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(Encoding.UTF8.GetBytes(header));
            foreach (var i in kept)
                hash.AppendData(Encoding.UTF8.GetBytes($"{Relative(files[i].File.Path)}|{files[i].Label}|{facts[i].Size}|{facts[i].Modified}\n"));
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        string ContentFingerprint()
        {
            var digests = new string[kept.Count];
            ParallelLoops.For(0, kept.Count, new ParallelOptions(), k => digests[k] = FileHashing.Sha256(files[kept[k]].File.Path));
            var changed = new List<string>();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(Encoding.UTF8.GetBytes("verified|" + header));
            for (var k = 0; k < kept.Count; k++)
            {
                var i = kept[k];
                var relative = Relative(files[i].File.Path);
                if (index.PreviousDigest(relative, files[i].File.Status) is { } before && before != digests[k]) changed.Add(relative);
                index.Current[relative] = facts[i] with { Sha256 = digests[k] };
                hash.AppendData(Encoding.UTF8.GetBytes($"{relative}|{files[i].Label}|{digests[k]}\n"));
            }
            if (changed.Count > 0)
                options.Progress?.Invoke($"verify-data: {changed.Count} file(s) under {splitFolder} changed content with the same size and time since they were last verified: {string.Join(", ", changed.Take(5))}{(changed.Count > 5 ? ", …" : "")}");
            if (index.Save() is { } problem) options.Progress?.Invoke($"the image-folder index was not saved ({problem})");
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        for (var i = 0; i < files.Count; i++) index.Current[Relative(files[i].File.Path)] = facts[i];
        if (!options.VerifyData && (options.SkipUndecodable || options.IndexFolder is not null) && index.Save() is { } saveProblem)
            options.Progress?.Invoke($"the image-folder index was not saved ({saveProblem})");
        options.Progress?.Invoke($"indexed {splitFolder}: {items.Count:N0} images in {classNames.Count} classes ({clock.Elapsed.TotalSeconds:F1} s)");
        var name = Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar));
        return new ImageFolderDataset(name, split ?? "", splitFolder, classNames, items, skipped, options.VerifyData ? ContentFingerprint : StatFingerprint);
    }
}
