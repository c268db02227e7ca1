using PureHDF;

namespace ProbeBench.Tests.Data;

/// <summary>
/// The official NYU Depth v2 files in their exact layout, small: <c>nyu_depth_v2_labeled.mat</c> is MATLAB v7.3, i.e.
/// HDF5 written with PureHDF behind MATLAB's 512-byte header (images N × 3 × W × H uint8, depths N × W × H float32, as
/// HDF5 stores MATLAB's column-major H × W × 3 × N), and <c>splits.mat</c> is MATLAB v5 with 1-based trainNdxs / testNdxs.
/// </summary>
internal static class NyuMatBuilder
{
    /// <summary>Pixel (y, x, c) of image n and its depth in metres, as the tests expect to read them back.</summary>
    public static byte Pixel(int n, int y, int x, int c) => (byte)((n * 37 + y * 11 + x * 5 + c * 60) % 256);

    public static float Depth(int n, int y, int x) => 0.5f + n + 0.25f * y + 0.125f * x;

    public static byte[] Labeled(int images, int height, int width, Func<int, int, int, float>? depth = null)
    {
        depth ??= Depth;
        var rgb = new byte[images, 3, width, height];
        var depths = new float[images, width, height];
        for (var n = 0; n < images; n++)
            for (var x = 0; x < width; x++)
                for (var y = 0; y < height; y++)
                {
                    depths[n, x, y] = depth(n, y, x);
                    for (var c = 0; c < 3; c++) rgb[n, c, x, y] = Pixel(n, y, x, c);
                }
        var file = new H5File { ["images"] = rgb, ["depths"] = depths, ["labels"] = new ushort[images, width, height] };
        using var stream = new MemoryStream();
        file.Write(stream, new H5WriteOptions(UserBlockSize: 512));
        var bytes = stream.ToArray();
        var header = System.Text.Encoding.ASCII.GetBytes("MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2024 HDF5 schema 1.00 .");
        header.CopyTo(bytes, 0);
        return bytes;
    }

    public static byte[] Splits(int[] train, int[] test) => MatFileWriter.Write(false,
        ("trainNdxs", new MatNumbers([train.Length, 1], train.Select(i => (double)i).ToArray())),
        ("testNdxs", new MatNumbers([test.Length, 1], test.Select(i => (double)i).ToArray())));
}
