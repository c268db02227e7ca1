namespace ProbeBench.Core.Data;

/// <summary>The official CIFAR binary releases (the <c>*-binary.tar.gz</c> archives).</summary>
/// <param name="Folder">The folder the archive unpacks to.</param>
/// <param name="LabelBytes">Label bytes before each record's 3072 pixel bytes (CIFAR-100: coarse, then fine).</param>
/// <param name="LabelByte">Which of those bytes is the label used.</param>
public sealed record CifarLayout(string Name, string Folder, IReadOnlyList<string> TrainFiles, IReadOnlyList<string> TestFiles,
    int LabelBytes, int LabelByte, string ClassNamesFile, int ClassCount)
{
    public const int Side = 32;
    public const int PixelBytes = 3 * Side * Side;

    public int RecordBytes => LabelBytes + PixelBytes;

    public static CifarLayout Cifar10 { get; } = new("cifar10", "cifar-10-batches-bin",
        ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"], ["test_batch.bin"],
        1, 0, "batches.meta.txt", 10);

    public static CifarLayout Cifar100 { get; } = new("cifar100", "cifar-100-binary", ["train.bin"], ["test.bin"],
        2, 1, "fine_label_names.txt", 100);

    public static CifarLayout Cifar100Coarse { get; } = Cifar100 with { Name = "cifar100-coarse", LabelByte = 0, ClassNamesFile = "coarse_label_names.txt", ClassCount = 20 };

    public IReadOnlyList<string> Files(string split) => split switch
    {
        "train" => TrainFiles,
        "test" => TestFiles,
        _ => throw new ProbeBenchException($"{Name} has splits train and test, not '{split}'."),
    };
}
