namespace ProbeBench.Core.Data;

/// <summary>
/// Writes a small dataset in the official CIFAR binary layout whose classes are learnable but not trivially
/// (each class has its own faint tint and stripe frequency, under strong per-pixel noise, brightness and shifts). For offline demos, CI smoke runs
/// and tests; the folder is what the real archive unpacks to, class names included.
/// </summary>
public static class SyntheticCifarWriter
{
    /// <summary>
    /// Writes <c>&lt;dataRoot&gt;/&lt;layout folder&gt;</c> whole, then puts it in place (<see cref="SyntheticFolder"/>); an
    /// existing folder is replaced only when synthesize wrote it.
    /// </summary>
    public static string Write(string dataRoot, CifarLayout layout, int trainPerFile, int testCount, int seed)
    {
        if (trainPerFile is <= 0 or > MaxImagesPerFile || testCount is <= 0 or > MaxImagesPerFile)
            throw new ProbeBenchException($"--train-per-file and --test must be 1 to {MaxImagesPerFile:N0} images (the real files hold 10,000); got {trainPerFile} and {testCount}.");
        return SyntheticFolder.Write(Path.Combine(Path.GetFullPath(dataRoot), layout.Folder), MarkerFile,
            "Written by probebench synthesize: learnable stand-in data, not the real dataset.\n", folder =>
            {
                var random = new Random(seed);
                foreach (var file in layout.TrainFiles) WriteFile(Path.Combine(folder, file), layout, trainPerFile, random);
                foreach (var file in layout.TestFiles) WriteFile(Path.Combine(folder, file), layout, testCount, random);

                var classNames = Enumerable.Range(0, layout == CifarLayout.Cifar10 ? 10 : 100).Select(c => $"class_{c:D2}");
                if (layout.Folder == CifarLayout.Cifar10.Folder)
                    WriteLines(Path.Combine(folder, CifarLayout.Cifar10.ClassNamesFile), classNames);
                else
                {
                    WriteLines(Path.Combine(folder, CifarLayout.Cifar100.ClassNamesFile), classNames);
                    WriteLines(Path.Combine(folder, CifarLayout.Cifar100Coarse.ClassNamesFile), Enumerable.Range(0, 20).Select(c => $"super_{c:D2}"));
                }
            });
    }

    /// <summary>Most images per batch file (ten times the real dataset's), so a mistyped count cannot fill the disk.</summary>
    public const int MaxImagesPerFile = 100_000;

    private static void WriteLines(string path, IEnumerable<string> lines) => SyntheticFolder.WriteNew(path, string.Concat(lines.Select(l => l + "\n")));

    /// <summary>The file that marks a folder as synthetic data (its results are labelled "(synthetic)").</summary>
    public const string MarkerFile = "SYNTHETIC.txt";

    /// <summary>One record: label byte(s), then the class pattern as R, G and B planes.</summary>
    private static byte[] Record(CifarLayout layout, int label, Random random)
    {
        var record = new byte[layout.RecordBytes];
        if (layout.LabelBytes == 2)
        {
            record[0] = (byte)(label % 20);   // coarse
            record[1] = (byte)label;          // fine
        }
        else
        {
            record[0] = (byte)label;
        }
        var classes = layout.LabelBytes == 2 ? 100 : 10;
        var hue = (double)label / classes;
        var frequency = 1 + label % 5;
        var shift = random.Next(32);
        var brightness = random.Next(-40, 41);
        const int plane = CifarLayout.Side * CifarLayout.Side;
        for (var y = 0; y < CifarLayout.Side; y++)
            for (var x = 0; x < CifarLayout.Side; x++)
            {
                var stripe = Math.Sin(2 * Math.PI * frequency * ((x + shift) % 32) / 32.0);
                for (var c = 0; c < 3; c++)
                {
                    var baseLevel = 128 + 8 * Math.Cos(2 * Math.PI * (hue + c / 3.0));
                    var value = baseLevel + brightness + 6 * stripe + random.Next(-80, 81);
                    record[layout.LabelBytes + c * plane + y * CifarLayout.Side + x] = (byte)Math.Clamp(value, 0, 255);
                }
            }
        return record;
    }

    private static void WriteFile(string path, CifarLayout layout, int count, Random random)
    {
        var classes = layout.LabelBytes == 2 ? 100 : 10;
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        for (var i = 0; i < count; i++) stream.Write(Record(layout, i % classes, random));
    }
}
