using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Parquet;
using Parquet.Serialization;
using ProbeBench.Core;
using ProbeBench.Core.Cache.Export;
using ProbeBench.Core.Kernel;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Cache;

/// <summary>
/// Exports are written in bounded slices (a matrix over 2 GiB is more bytes than one span counts), with headers computed
/// in 64 bits from the shapes; the bytes are the same whatever the slice size.
/// </summary>
public sealed class FeatureExportSliceTests
{
    private static readonly float[] Values = Enumerable.Range(0, 7 * 5).Select(i => i * 0.5f - 3).ToArray();
    private static readonly long[] Labels = [0, 1, 2, 0, 1, 2, 0];

    /// <summary>A memory stream that remembers the size of every write it was given.</summary>
    private sealed class RecordingStream : Stream
    {
        private readonly MemoryStream _bytes = new();

        public List<int> Writes { get; } = [];

        public byte[] ToArray() => _bytes.ToArray();

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes.Add(buffer.Length);
            _bytes.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _bytes.Length;
        public override long Position { get => _bytes.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Fact]
    public void An_npy_file_written_in_tiny_slices_has_the_bytes_of_one_slice_and_of_numpys_layout()
    {
        using var whole = new MemoryStream();
        NpyWriter.Write(whole, Values, 7, 5);
        var header = NpyWriter.Header("<f4", [7, 5]);
        var expected = header.Concat(MemoryMarshal.AsBytes(Values.AsSpan()).ToArray()).ToArray();
        Assert.Equal(expected, whole.ToArray());
        foreach (var slice in new[] { 4, 10, 12, 64, int.MaxValue })
        {
            using var sliced = new RecordingStream();
            NpyWriter.Write(sliced, Values, [7, 5], slice);
            Assert.Equal(expected, sliced.ToArray());
            // The header, then the values in writes of as many whole values as the slice holds.
            Assert.Equal(header.Length, sliced.Writes[0]);
            Assert.Equal(Math.Min(slice / 4, Values.Length) * 4, sliced.Writes.Skip(1).Max());
        }
        using var labels = new RecordingStream();
        NpyWriter.Write(labels, Labels, [7], 16);
        Assert.Equal(NpyWriter.Header("<i8", [7]).Concat(MemoryMarshal.AsBytes(Labels.AsSpan()).ToArray()), labels.ToArray());
        Assert.Equal([16, 16, 16, 8], labels.Writes.Skip(1));
    }

    [Fact]
    public void A_safetensors_file_written_in_tiny_slices_has_the_bytes_of_one_slice()
    {
        var metadata = new Dictionary<string, string> { ["ids"] = "[\"a\",\"b\"]" };
        byte[] Write(int slice, out List<int> writes)
        {
            using var stream = new RecordingStream();
            SafetensorsWriter.Write(stream, [SafetensorsWriter.Floats("features", Values, 7, 5), SafetensorsWriter.Longs("labels", Labels, 7)], metadata, slice);
            writes = stream.Writes;
            return stream.ToArray();
        }
        // The layout the writer always had: u64 length, JSON padded with spaces to 8 bytes, then the tensors back to back.
        var json = Encoding.UTF8.GetBytes(
            """{"__metadata__":{"ids":"[\u0022a\u0022,\u0022b\u0022]"},"features":{"dtype":"F32","shape":[7,5],"data_offsets":[0,140]},"labels":{"dtype":"I64","shape":[7],"data_offsets":[140,196]}}""");
        var padded = json.Length + (8 - json.Length % 8) % 8;
        var expected = new byte[8 + padded];
        BinaryPrimitives.WriteUInt64LittleEndian(expected, (ulong)padded);
        json.CopyTo(expected, 8);
        expected.AsSpan(8 + json.Length).Fill((byte)' ');
        expected = [.. expected, .. MemoryMarshal.AsBytes(Values.AsSpan()), .. MemoryMarshal.AsBytes(Labels.AsSpan())];

        Assert.Equal(expected, Write(int.MaxValue, out var one));
        Assert.Equal([8 + padded, 140, 56], one);
        foreach (var slice in new[] { 8, 12, 20 })
        {
            Assert.Equal(expected, Write(slice, out var writes));
            Assert.True(writes.Skip(1).All(w => w <= slice), $"slice {slice}: writes of {string.Join(", ", writes)} bytes");
        }
    }

    [Fact]
    public void Header_offsets_of_tensors_over_2_GiB_are_exact()
    {
        // 6e8 rows × 4 float32 = 9.6e9 bytes, then 6e8 int64 labels: the offsets pass int.MaxValue and 2^32. No data is written.
        var header = SafetensorsWriter.Header([("features", "F32", [600_000_000, 4], 4), ("labels", "I64", [600_000_000], 8)], new Dictionary<string, string>());
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(header);
        Assert.Equal(header.Length - 8, length);
        Assert.Equal(0, length % 8);
        using var json = JsonDocument.Parse(header.AsMemory(8, length));
        long[] Offsets(string name) => json.RootElement.GetProperty(name).GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        Assert.Equal([0L, 9_600_000_000], Offsets("features"));
        Assert.Equal([9_600_000_000L, 14_400_000_000], Offsets("labels"));
        Assert.Equal([600_000_000L, 4], json.RootElement.GetProperty("features").GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));

        var npy = Encoding.ASCII.GetString(NpyWriter.Header("<f4", [3_000_000_000, 1024]));
        Assert.Contains("'shape': (3000000000, 1024), }", npy);
        Assert.Equal(0, npy.Length % 64);

        // A shape whose bytes overflow 64 bits is refused, not wrapped.
        Assert.Throws<OverflowException>(() => SafetensorsWriter.Header([("x", "F32", [long.MaxValue / 2, 3], 4)], new Dictionary<string, string>()));
    }

    [Fact]
    public void A_safetensors_header_larger_than_readers_accept_is_refused_in_one_line()
    {
        var metadata = new Dictionary<string, string> { ["ids"] = new string('x', 200) };
        var error = Assert.Throws<ProbeBenchException>(() => SafetensorsWriter.Header([("features", "F32", [2, 2], 4)], metadata, maxBytes: 100));
        Assert.Contains("more than the 100 safetensors readers accept; export it as npy or parquet", error.Message);
        Assert.NotNull(SafetensorsWriter.Header([("features", "F32", [2, 2], 4)], metadata, maxBytes: 400));
    }

    [Fact]
    public void A_shape_that_does_not_match_the_values_is_refused()
    {
        Assert.Throws<ArgumentException>(() => NpyWriter.Write(new MemoryStream(), Values, 7, 4));
        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Floats("features", Values, 5, 5));
    }

    private static ExportedFeatures Export() => new("m__d__train__cls@last", new FeatureSet(Values, 7, 5, Labels.Select(l => (int)l).ToArray(), 3),
        ["cat", "dog", "owl"], Enumerable.Range(0, 7).Select(i => $"img{i}.png").ToList(), """{"key":"k"}""");

    [Fact]
    public void Every_export_format_gives_the_same_bytes_at_any_slice_size_and_parquet_keeps_row_groups_small()
    {
        using var dir = new TempDirectory();
        foreach (var format in new[] { "npy", "safetensors" })
        {
            var whole = FeatureExportWriter.Write(Export(), Directory.CreateDirectory(dir.File(format, "whole")).FullName, format);
            var sliced = FeatureExportWriter.Write(Export(), Directory.CreateDirectory(dir.File(format, "sliced")).FullName, format, sliceBytes: 8, rowGroupBytes: 1);
            Assert.Equal(whole.Select(Path.GetFileName), sliced.Select(Path.GetFileName));
            foreach (var (a, b) in whole.Zip(sliced))
                Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        }
    }

    [Fact]
    public async Task A_parquet_export_is_what_the_serializer_wrote_before_and_splits_into_row_groups_of_the_bytes_given()
    {
        using var dir = new TempDirectory();
        var e = Export();
        var file = FeatureExportWriter.Write(e, Directory.CreateDirectory(dir.File("one")).FullName, "parquet").Single(p => p.EndsWith(".parquet", StringComparison.Ordinal));
        // The file as the export wrote it before rows were streamed into bounded row groups: one list, serializer defaults.
        var rows = Enumerable.Range(0, 7).Select(r => new ParquetFeatureRow
        {
            Id = e.Ids[r], Label = (int)Labels[r], Class = e.ClassNames[(int)Labels[r]], Features = Values.AsSpan(r * 5, 5).ToArray(),
        }).ToList();
        using (var before = new MemoryStream())
        {
            await ParquetSerializer.SerializeAsync(rows, before);
            Assert.Equal(before.ToArray(), await File.ReadAllBytesAsync(file));
        }

        // Three rows' worth of features per row group: groups of 3, 3 and 1 rows, read back as the rows written.
        var grouped = FeatureExportWriter.Write(e, Directory.CreateDirectory(dir.File("groups")).FullName, "parquet", sliceBytes: 8, rowGroupBytes: 3 * 5 * 4)
            .Single(p => p.EndsWith(".parquet", StringComparison.Ordinal));
        await using (var stream = File.OpenRead(grouped))
        await using (var reader = await ParquetReader.CreateAsync(stream))
            Assert.Equal(3, reader.RowGroupCount);
        await using var again = File.OpenRead(grouped);
        var read = (await ParquetSerializer.DeserializeAsync<ParquetFeatureRow>(again)).Data.ToList();
        Assert.Equal(rows.Select(r => (r.Id, r.Label, r.Class)), read.Select(r => (r.Id, r.Label, r.Class)));
        Assert.Equal(Values, read.SelectMany(r => r.Features));
    }
}
