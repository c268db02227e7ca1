using System.Text;
using ProbeBench.Core.Data.Files;
using ProbeBench.Core.IO;
using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace ProbeBench.Core.Data.Dense;

/// <summary>
/// NYU Depth v2's official labelled set: <c>nyu_depth_v2_labeled.mat</c> (MATLAB v7.3, i.e. HDF5, read with PureHDF)
/// holds <c>images</c> (N × 3 × 640 × 480 uint8 as HDF5 stores MATLAB's 480 × 640 × 3 × N) and <c>depths</c>
/// (N × 640 × 480 float32 metres, in-painted); <c>splits.mat</c> (MATLAB v5) holds the official 1-based
/// <c>trainNdxs</c> (795) and <c>testNdxs</c> (654). Depth outside (0.001, 10) m and outside the Eigen crop is invalid.
/// Each read opens the file on its own, so reads are thread-safe and no handle outlives a call.
/// </summary>
public sealed class NyuDepthV2Dataset : IDenseDataset
{
    public const string MatFile = "nyu_depth_v2_labeled.mat";
    public const string SplitsFile = "splits.mat";

    private readonly string _mat;
    private readonly int[] _indices;
    private readonly int _height, _width;

    private NyuDepthV2Dataset(string name, string split, string mat, int[] indices, int height, int width, string fingerprint)
    {
        Name = name;
        Split = split;
        _mat = mat;
        _indices = indices;
        (_height, _width) = (height, width);
        Fingerprint = fingerprint;
    }

    public string Name { get; }
    public string Split { get; }
    public int Count => _indices.Length;
    public IReadOnlyList<string> ClassNames { get; } = ["depth"];
    public string Fingerprint { get; }
    public DenseTask Task => DenseTask.Depth;
    public (int Height, int Width)? FixedLabelSize => (_height, _width);

    public string About => Split == "train"
        ? $"the official labelled training split ({Count} images of nyu_depth_v2_labeled.mat); the DINOv2 paper trains on the ~24k-image BTS set (nyu-depth-v2-bts), so expect a higher RMSE"
        : $"the official test split ({Count} images), Eigen crop, depth in (0.001, 10) m";

    public int GetLabel(int index) => 0;

    public (int Height, int Width) ImageSize(int index) => (_height, _width);

    public RgbImage Load(int index)
    {
        var plane = _height * _width;
        var chw = Read(file => Slice<byte>(file, "images", _indices[index], [3, (ulong)_width, (ulong)_height]));
        var pixels = new byte[plane * 3];
        for (var c = 0; c < 3; c++)
            for (var x = 0; x < _width; x++)
                for (var y = 0; y < _height; y++)
                    pixels[(y * _width + x) * 3 + c] = chw[c * plane + x * _height + y];
        return new RgbImage(pixels, _height, _width);
    }

    public DenseLabelMap LoadLabels(int index)
    {
        var stored = Read(file => Slice<float>(file, "depths", _indices[index], [(ulong)_width, (ulong)_height]));
        var metres = new float[stored.Length];
        for (var x = 0; x < _width; x++)
            for (var y = 0; y < _height; y++)
                metres[y * _width + x] = stored[x * _height + y];
        var (min, max) = ((IDenseDataset)this).DepthRange;
        return DepthLabelMaps.FromMetres(metres, _height, _width, min, max, eigenCrop: true);
    }

    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        var mat = Path.Combine(folder, MatFile);
        var splits = Path.Combine(folder, SplitsFile);
        foreach (var file in new[] { mat, splits })
            if (FileStatus.Of(file).Kind != FileKind.Regular)
                throw new ProbeBenchException($"{entry.Name}: {file} is missing; download the dataset (probebench datasets download {entry.Name}) or point --dataset-path at a folder holding {MatFile} and {SplitsFile}.");

        var (count, height, width) = ReadShape(mat);
        var variable = split switch
        {
            "train" => "trainNdxs",
            "test" => "testNdxs",
            _ => throw new ProbeBenchException($"{entry.Name} has splits train and test, not '{split}'."),
        };
        var indices = Files.MatFile.Read(splits).Get(variable, splits).Integers(1, count).Select(i => i - 1).ToArray();
        if (indices.Length == 0) throw new ProbeBenchException($"{splits}: {variable} lists no images.");
        if (indices.Distinct().Count() != indices.Length) throw new ProbeBenchException($"{splits}: {variable} lists an image twice.");

        var status = FileStatus.Of(mat);
        var digest = new StringBuilder($"nyu-depth-v2-mat|{status.Size}|{status.ModifiedTicks}|{FileHashing.Sha256(splits)}|{split}|{string.Join(',', indices)}");
        var fingerprint = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(digest.ToString())));
        return new NyuDepthV2Dataset(entry.Name, split, mat, indices, height, width, fingerprint);
    }

    // images: N × 3 × W × H uint8; depths: N × W × H float32 (HDF5 order of MATLAB's H × W × 3 × N and H × W × N).
    private static (int Count, int Height, int Width) ReadShape(string mat) => ReadFile(mat, file =>
    {
        var images = file.Dataset("images");
        var depths = file.Dataset("depths");
        var i = images.Space.Dimensions;
        var d = depths.Space.Dimensions;
        if (i.Length != 4 || i[1] != 3 || d.Length != 3 || d[0] != i[0] || d[1] != i[2] || d[2] != i[3])
            throw new ProbeBenchException($"{mat}: images is {string.Join('×', i)} and depths {string.Join('×', d)}; the labelled NYU set stores N×3×640×480 and N×640×480.");
        if (images.Type.Class != H5DataTypeClass.FixedPoint || images.Type.Size != 1)
            throw new ProbeBenchException($"{mat}: images are {images.Type.Class} of {images.Type.Size} bytes, not uint8.");
        if (depths.Type.Class != H5DataTypeClass.FloatingPoint || depths.Type.Size != 4)
            throw new ProbeBenchException($"{mat}: depths are {depths.Type.Class} of {depths.Type.Size} bytes, not float32.");
        // Each side is bounded before the product, which would wrap in 64 bits for sides of 2^32.
        if (i[0] == 0 || i[0] > int.MaxValue || i[2] == 0 || i[3] == 0 || i[2] > int.MaxValue || i[3] > int.MaxValue
            || i[2] * i[3] > (ulong)ImageDecoder.MaxPixels)
            throw new ProbeBenchException($"{mat}: {i[0]} images of {i[3]}×{i[2]} pixels is outside what ProbeBench reads.");
        return ((int)i[0], (int)i[3], (int)i[2]);
    });

    private T[] Read<T>(Func<NativeFile, T[]> read) => ReadFile(_mat, read);

    private static T[] Slice<T>(NativeFile file, string name, int image, ulong[] rest)
    {
        var dataset = file.Dataset(name);
        var starts = new ulong[rest.Length + 1];
        ulong[] blocks = [1, .. rest];
        starts[0] = (ulong)image;
        return dataset.Read<T[]>(new HyperslabSelection(blocks.Length, starts, blocks));
    }

    private static T ReadFile<T>(string path, Func<NativeFile, T> read)
    {
        try
        {
            using var file = H5File.OpenRead(path);
            return read(file);
        }
        catch (ProbeBenchException)
        {
            throw;
        }
        catch (Exception e)
        {
            // PureHDF's messages may run over several lines (or be empty): the first non-blank one, else the exception's type.
            var reason = e.Message.Split('\r', '\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? e.GetType().Name;
            throw new ProbeBenchException($"{path} could not be read as the NYU Depth v2 labelled set (MATLAB v7.3 / HDF5): {DataFiles.Quote(reason)}", inner: e);
        }
    }
}
