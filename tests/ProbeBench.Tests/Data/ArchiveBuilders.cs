using System.Formats.Tar;
using System.IO.Compression;
using SkiaSharp;

namespace ProbeBench.Tests.Data;

/// <summary>Builds tar, tar.gz and zip archives and small encoded images in memory, for tests in the published layouts.</summary>
internal static class ArchiveBuilders
{
    public static byte[] Tar(IEnumerable<(string Name, byte[] Content)> files)
    {
        var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var (name, content) in files)
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
        return output.ToArray();
    }

    public static byte[] TarGz(IEnumerable<(string Name, byte[] Content)> files) => Gzip(Tar(files));

    public static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
        return output.ToArray();
    }

    public static byte[] Zip(IEnumerable<(string Name, byte[] Content)> files)
    {
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, content) in files)
            {
                using var stream = zip.CreateEntry(name).Open();
                stream.Write(content);
            }
        return output.ToArray();
    }

    /// <summary>A small image whose colour encodes <paramref name="seed"/>.</summary>
    public static byte[] Image(int seed, SKEncodedImageFormat format = SKEncodedImageFormat.Png, int side = 6)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < side; y++)
            for (var x = 0; x < side; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)(seed * 37), (byte)(x * 40), (byte)(y * 40), 255));
        using var data = bitmap.Encode(format, 100);
        return data.ToArray();
    }

    /// <summary>A binary PPM (P6) image, as GTSRB ships them.</summary>
    public static byte[] Ppm(int seed, int width = 5, int height = 4)
    {
        var header = System.Text.Encoding.ASCII.GetBytes($"P6\n# test\n{width} {height}\n255\n");
        var pixels = Enumerable.Range(0, width * height * 3).Select(i => (byte)(i * 7 + seed)).ToArray();
        return [.. header, .. pixels];
    }

    public static byte[] Text(params string[] lines) => System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
}
