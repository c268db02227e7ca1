using System.Security.Cryptography;
using System.Text;
using ProbeBench.Core.Data.Dense;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Data;

/// <summary>One depth map in metres, row-major H×W; invalid pixels are 0.</summary>
public sealed record DepthMap(float[] Metres, int Height, int Width);

/// <summary>
/// RGB images paired with 16-bit depth PNGs: <c>root/split/rgb/name.{jpg,png}</c> and <c>root/split/depth/name.png</c>.
/// Depth is value / scale metres; 0 and values outside [min, max] are invalid and read as 0. Thread-safe. A folder with
/// this layout given as a dataset path is read as a depth dataset (<see cref="DenseFolders"/>).
/// </summary>
public sealed class DepthPairDataset : IDenseDataset
{
    private readonly IReadOnlyList<(string Rgb, string Depth)> _pairs;
    private readonly string _splitFolder;

    private DepthPairDataset(string name, string split, string splitFolder, IReadOnlyList<(string Rgb, string Depth)> pairs, DepthPairOptions options)
    {
        Name = name;
        Split = split;
        _splitFolder = splitFolder;
        _pairs = pairs;
        Options = options;
        Fingerprint = ComputeFingerprint();
    }

    public string Name { get; }
    public string Split { get; }
    public int Count => _pairs.Count;
    public DepthPairOptions Options { get; }
    public IReadOnlyList<string> ClassNames { get; } = ["depth"];
    public DenseTask Task => DenseTask.Depth;
    public (int Height, int Width)? FixedLabelSize => null;
    public (double Min, double Max) DepthRange => (Options.MinDepth, Options.MaxDepth);
    public bool IsSynthetic => File.Exists(Path.Combine(Path.GetDirectoryName(_splitFolder)!, DenseFolders.SyntheticMarker));
    public string About => $"{Count} image and 16-bit depth PNG pairs from {_splitFolder}";

    public int GetLabel(int index) => 0;

    public RgbImage Load(int index) => LoadRgb(index);

    public (int Height, int Width) ImageSize(int index) => ImageDecoder.Dimensions(_pairs[index].Rgb);

    public DenseLabelMap LoadLabels(int index)
    {
        var map = LoadDepth(index);
        return new DenseLabelMap(map.Metres, map.Height, map.Width);
    }

    /// <summary>SHA-256 over the pairs' names and contents, and the scale and valid range.</summary>
    public string Fingerprint { get; }

    public RgbImage LoadRgb(int index) => ImageDecoder.DecodeRgb(_pairs[index].Rgb);

    public DepthMap LoadDepth(int index)
    {
        var path = _pairs[index].Depth;
        var raw = Grey16Png.Read(path);
        var metres = new float[raw.Values.Length];
        var scale = Options.Scale;
        for (var i = 0; i < metres.Length; i++)
        {
            var value = raw.Values[i];
            if (value == 0) continue;
            var depth = value / scale;
            metres[i] = depth >= Options.MinDepth && depth <= Options.MaxDepth ? (float)depth : 0f;
        }
        return new DepthMap(metres, raw.Height, raw.Width);
    }

    public static DepthPairDataset Open(string root, string split, DepthPairOptions? options = null)
    {
        options ??= DepthPairOptions.NyuMillimetres;
        if (!(options.Scale > 0) || !(options.MinDepth >= 0) || !(options.MaxDepth > options.MinDepth))
            throw new ProbeBenchException($"Depth options need scale > 0 and 0 ≤ min < max (got scale {options.Scale}, min {options.MinDepth}, max {options.MaxDepth}).");
        root = Path.GetFullPath(root);
        var splitFolder = Path.Combine(root, split);
        var rgbFolder = Path.Combine(splitFolder, "rgb");
        var depthFolder = Path.Combine(splitFolder, "depth");
        foreach (var folder in new[] { rgbFolder, depthFolder })
            if (!Directory.Exists(folder))
                throw new ProbeBenchException($"The depth dataset folder {folder} does not exist.");

        var pairs = new List<(string, string)>();
        foreach (var rgb in Directory.EnumerateFiles(rgbFolder).OrderBy(f => f, StringComparer.Ordinal))
        {
            var extension = Path.GetExtension(rgb).ToLowerInvariant();
            if (extension is not (".jpg" or ".jpeg" or ".png")) continue;
            var depth = Path.Combine(depthFolder, Path.GetFileNameWithoutExtension(rgb) + ".png");
            if (!File.Exists(depth))
                throw new ProbeBenchException($"The RGB image {rgb} has no depth map at {depth}.");
            // The fingerprint hashes both files: a FIFO would block it forever.
            foreach (var file in new[] { rgb, depth })
                if (FileStatus.Of(file) is { Kind: not FileKind.Regular } status)
                    throw new ProbeBenchException($"The depth dataset file {file} is {status.Describe()}.");
            pairs.Add((rgb, depth));
        }
        if (pairs.Count == 0)
            throw new ProbeBenchException($"The depth dataset folder {rgbFolder} holds no .jpg or .png images.");
        return new DepthPairDataset(Path.GetFileName(root), split, splitFolder, pairs, options);
    }

    private string ComputeFingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"depthpairs|{Options.Scale:R}|{Options.MinDepth:R}|{Options.MaxDepth:R}|"));
        foreach (var (rgb, depth) in _pairs)
            hash.AppendData(Encoding.UTF8.GetBytes(
                $"{Path.GetRelativePath(_splitFolder, rgb)}|{FileHashing.Sha256(rgb)}|{Path.GetRelativePath(_splitFolder, depth)}|{FileHashing.Sha256(depth)}\n"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
