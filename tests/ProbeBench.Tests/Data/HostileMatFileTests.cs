using System.Diagnostics;
using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Core.Data.Files;
using ProbeBench.Tests.TestSupport;
using static ProbeBench.Tests.Data.MatFileWriter;

namespace ProbeBench.Tests.Data;

/// <summary>
/// MAT files whose headers lie: nesting past the bound, element counts and inflated sizes no bytes back, repeated
/// names, a FIFO. Each ends in one line naming the file before anything sized from the header is allocated.
/// </summary>
public sealed class HostileMatFileTests
{
    private const string MatPath = "/data/hostile.mat";

    private static string Refused(byte[] bytes) => Assert.Throws<ProbeBenchException>(() => MatFile.Parse(bytes, MatPath)).Message;

    private static MatValue Nested(int cells)
    {
        MatValue value = MatNumbers.Row(7);
        for (var i = 0; i < cells; i++) value = new MatCell([value]);
        return value;
    }

    [Fact]
    public void Cells_nest_up_to_the_bound_and_one_level_more_is_one_line()
    {
        // n nested cells put the innermost number at depth n (the variable itself is depth 0).
        var deepest = MatFile.Parse(Write(false, ("c", Nested(MatFile.MaxDepth))), MatPath).Get("c", MatPath);
        for (var i = 0; i < MatFile.MaxDepth; i++) deepest = deepest.Cell(0);
        Assert.Equal(7, deepest.Number(0));

        Assert.Equal($"{MatPath} is not a valid MAT file: arrays nest deeper than 32 levels.", Refused(Write(false, ("c", Nested(MatFile.MaxDepth + 1)))));
        Assert.Equal($"{MatPath} is not a valid MAT file: arrays nest deeper than 32 levels.", Refused(Write(true, ("c", Nested(200)))));
    }

    [Fact]
    public void Compressed_elements_nested_in_each_other_are_bounded_like_arrays()
    {
        var element = Matrix("x", MatNumbers.Row(1));
        for (var i = 0; i < 40; i++) element = Compressed(element);
        Assert.Equal($"{MatPath} is not a valid MAT file: compressed elements nest deeper than 32 levels.", Refused(Raw(element)));
    }

    [Fact]
    public void A_cell_claiming_more_arrays_than_its_bytes_hold_is_refused_before_allocating_them()
    {
        var bytes = Raw(Matrix(1, [1, 1 << 30], "c", []));
        Assert.Equal($"{MatPath} is not a valid MAT file: 'c' claims 1073741824 arrays, but its 0 bytes hold at most 0.", Refused(bytes));
    }

    [Fact]
    public void A_struct_whose_elements_times_fields_overflow_an_int_is_one_line()
    {
        // 2^30 elements × 4 fields: a checked int product threw OverflowException here.
        byte[] fields = [.. Element(5, BitConverter.GetBytes(4)), .. Element(1, "a\0\0\0b\0\0\0c\0\0\0d\0\0\0"u8.ToArray())];
        var bytes = Raw(Matrix(2, [1, 1 << 30], "s", fields));
        Assert.Equal($"{MatPath} is not a valid MAT file: 's' claims 4294967296 arrays, but its 0 bytes hold at most 0.", Refused(bytes));
    }

    [Fact]
    public void A_struct_naming_a_field_twice_is_one_line()
    {
        byte[] fields = [.. Element(5, BitConverter.GetBytes(2)), .. Element(1, "a\0a\0"u8.ToArray()), .. Matrix("", MatNumbers.Row(1)), .. Matrix("", MatNumbers.Row(2))];
        Assert.Equal($"{MatPath} is not a valid MAT file: struct 's' has the field 'a' twice.", Refused(Raw(Matrix(2, [1, 1], "s", fields))));
    }

    [Fact]
    public void A_compressed_element_claiming_more_than_deflate_can_produce_is_refused_before_allocating()
    {
        var bytes = Raw(Compressed([.. Tag(14, int.MaxValue - 100)]));
        var compressed = BitConverter.ToInt32(bytes, 132);
        var message = Refused(bytes);
        Assert.Equal($"{MatPath} is not a valid MAT file: a compressed element of {compressed} bytes claims {int.MaxValue - 100} inflated bytes (at most {(compressed + 1) * 1032} can come from it).", message);
    }

    [Fact]
    public void A_zlib_stream_asking_for_a_preset_dictionary_is_corrupt_not_a_zlib_exception()
    {
        // FDICT set in the zlib header: inflate stops with Z_NEED_DICT, which .NET throws as ZLibException (an IOException).
        byte[] zlib = [0x78, 0x20, 1, 2, 3, 4, 0x63, 0, 0, 0, 0, 0, 0];
        Assert.Equal($"{MatPath} is not a valid MAT file: a compressed element inflates to less than a tag.", Refused(Raw([.. Tag(15, zlib.Length), .. zlib])));
    }

    [Fact]
    public void A_variable_written_twice_is_one_line()
    {
        Assert.Equal($"{MatPath} holds the MAT variable 'x' twice.", Refused(Write(false, ("x", MatNumbers.Row(1)), ("x", MatNumbers.Row(2)))));
    }

    [Fact]
    public void A_name_with_a_line_break_stays_on_one_line()
    {
        var message = Refused(Write(false, ("a\nb", MatNumbers.Row(1)), ("a\nb", MatNumbers.Row(2))));
        Assert.Equal($"{MatPath} holds the MAT variable 'a\\u000ab' twice.", message);
    }

    [Fact]
    public void Errors_from_an_array_name_the_file_and_the_element_as_matlab_would()
    {
        var mat = MatFile.Parse(Write(false, ("annotations", new MatStruct(["class", "fname"], [
            [MatNumbers.Row(1), new MatText("a.jpg")],
            [new MatNumbers([0, 0], []), new MatText("b.jpg")],
        ]))), MatPath);
        var records = mat.Get("annotations", MatPath);
        Assert.Equal(1, records.Field(0, "class").Integer(1, 5));
        Assert.Equal($"{MatPath}: MAT variable 'annotations(2).class' has 0 elements where one whole number in 1..5 belongs.",
            Assert.Throws<ProbeBenchException>(() => records.Field(1, "class").Integer(1, 5)).Message);
        Assert.Equal($"{MatPath}: MAT variable 'annotations(1).fname' is a Char array, not numbers.",
            Assert.Throws<ProbeBenchException>(() => records.Field(0, "fname").Number(0)).Message);
    }

    [Fact]
    public void A_fifo_named_as_a_mat_file_is_an_error_not_a_hang()
    {
        using var dir = new TempDirectory();
        var path = dir.File("labels.mat");
        Process.Start("mkfifo", path)!.WaitForExit();
        Assert.Equal($"The MAT file {path} is not a regular file (a FIFO, socket or device).", Assert.Throws<ProbeBenchException>(() => MatFile.Read(path)).Message);
    }

    [Fact]
    public void Thousands_of_corruptions_of_nested_mat_files_end_in_one_line_each()
    {
        var value = new MatStruct(["id", "name", "items"], [
            [MatNumbers.Row(1), new MatText("one"), new MatCell([new MatText("x"), MatNumbers.Row(2, 3)])],
            [MatNumbers.Row(4), new MatText("two"), new MatCell([])],
        ]);
        byte[][] seeds = [Write(false, ("s", value), ("n", MatNumbers.Row(1, 2, 3))), Write(true, ("s", value), ("n", MatNumbers.Row(1, 2, 3)))];
        var random = new Random(9);
        for (var i = 0; i < 4000; i++)
        {
            var bytes = (byte[])seeds[i % 2].Clone();
            switch (i % 3)
            {
                case 0:
                    for (var k = 0; k < 1 + random.Next(4); k++) bytes[MatFile.HeaderBytes + random.Next(bytes.Length - MatFile.HeaderBytes)] = (byte)random.Next(256);
                    break;
                case 1: // a size or count field turned huge or odd
                    var at = (MatFile.HeaderBytes + random.Next(bytes.Length - MatFile.HeaderBytes - 4)) & ~3;
                    BitConverter.GetBytes(random.Next(2) == 0 ? int.MaxValue - random.Next(100) : random.Next(1 << 20)).CopyTo(bytes, at);
                    break;
                default:
                    bytes = bytes[..(MatFile.HeaderBytes + random.Next(bytes.Length - MatFile.HeaderBytes))];
                    break;
            }
            try
            {
                var mat = MatFile.Parse(bytes, MatPath);
                foreach (var name in mat.Names) Touch(mat.Get(name, MatPath), 0);
            }
            catch (ProbeBenchException e)
            {
                Assert.DoesNotContain('\n', e.Message);
                Assert.Contains(MatPath, e.Message);
            }
        }
    }

    [Fact]
    public void Corrupted_v73_files_read_through_purehdf_end_in_one_line_naming_the_file()
    {
        using var dir = new TempDirectory();
        var entry = DatasetCatalog.LoadDefault().Get("nyu-depth-v2");
        System.IO.File.WriteAllBytes(dir.File("splits.mat"), NyuMatBuilder.Splits([1, 2], [3]));
        var path = dir.File("nyu_depth_v2_labeled.mat");
        var seed = NyuMatBuilder.Labeled(3, 4, 4);
        var random = new Random(5);
        var refused = 0;
        for (var i = 0; i < 300; i++)
        {
            var bytes = (byte[])seed.Clone();
            const int header = 512; // MATLAB's text header before the HDF5 superblock
            switch (i % 3)
            {
                case 0:
                    for (var k = 0; k < 1 + random.Next(4); k++) bytes[header + random.Next(bytes.Length - header)] = (byte)random.Next(256);
                    break;
                case 1: // an address, size or count turned huge or odd
                    BitConverter.GetBytes(random.Next(2) == 0 ? ulong.MaxValue - (ulong)random.Next(100) : (ulong)random.Next(1 << 20))
                        .CopyTo(bytes, header + random.Next(bytes.Length - header - 8));
                    break;
                default:
                    bytes = bytes[..(header + random.Next(bytes.Length - header))];
                    break;
            }
            System.IO.File.WriteAllBytes(path, bytes);
            try
            {
                var data = (Core.Data.Dense.IDenseDataset)DatasetFormats.Open(entry, dir.Path, "train");
                data.Load(1);
                data.LoadLabels(0);
            }
            catch (ProbeBenchException e)
            {
                refused++;
                Assert.DoesNotContain('\n', e.Message);
                Assert.DoesNotContain('\r', e.Message);
                Assert.Contains(path, e.Message);
            }
        }
        Assert.True(refused > 50, $"only {refused} of 300 corruptions were refused; the mutations miss the file's structure");
    }

    // Every read a layout makes, each allowed to refuse with one line.
    private static void Touch(MatArray array, int depth)
    {
        void Try(Action read)
        {
            try
            {
                read();
            }
            catch (ProbeBenchException e)
            {
                Assert.Contains(MatPath, e.Message);
            }
        }
        Try(() => array.Integers(0, 100));
        Try(() => array.Integer(0, 100));
        Try(() => array.Text());
        Try(() => array.UInt8Bytes());
        if (depth > 3) return;
        for (var i = 0; i < Math.Min(array.Count, 4); i++)
        {
            if (array.Class == MatClass.Cell) Touch(array.Cell(i), depth + 1);
            foreach (var field in array.Fields) Touch(array.Field(i, field), depth + 1);
        }
    }
}
