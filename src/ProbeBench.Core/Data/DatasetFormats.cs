using ProbeBench.Core.Data.Dense;
using ProbeBench.Core.Data.Layouts;

namespace ProbeBench.Core.Data;

/// <summary>Every catalog format and its reader: a format name in the catalog selects how an installed folder is read.</summary>
public static class DatasetFormats
{
    private static readonly Dictionary<string, Func<DatasetCatalogEntry, string, string, IImageDataset>> Readers = new()
    {
        ["cifar10"] = (_, folder, split) => CifarDataset.Open(CifarLayout.Cifar10, folder, split),
        ["cifar100"] = (_, folder, split) => CifarDataset.Open(CifarLayout.Cifar100, folder, split),
        ["cifar100-coarse"] = (_, folder, split) => CifarDataset.Open(CifarLayout.Cifar100Coarse, folder, split),
        ["stl10"] = (_, folder, split) => Stl10Dataset.Open(folder, split),
        ["food101"] = Food101Layout.Open,
        ["sun397"] = Sun397Layout.Open,
        ["stanford-cars"] = StanfordCarsLayout.Open,
        ["fgvc-aircraft"] = FgvcAircraftLayout.Open,
        ["voc2007"] = Voc2007Layout.Open,
        ["dtd"] = DtdLayout.Open,
        ["oxford-pets"] = OxfordPetsLayout.Open,
        ["caltech101"] = Caltech101Layout.Open,
        ["flowers102"] = Flowers102Layout.Open,
        ["cub200"] = Cub200Layout.Open,
        ["svhn"] = SvhnDataset.Open,
        ["eurosat"] = EuroSatLayout.Open,
        ["idx"] = IdxDataset.Open,
        ["gtsrb"] = GtsrbLayout.Open,
        ["imagenet"] = ImageNetLayout.Open,
        ["nyu-depth-v2"] = NyuDepthV2Dataset.Open,
        ["nyu-bts"] = NyuBtsLayout.Open,
        ["voc2012-seg"] = Voc2012SegLayout.Open,
        ["ade20k"] = Ade20kLayout.Open,
    };

    public static IReadOnlySet<string> Names { get; } = Readers.Keys.ToHashSet();

    /// <summary>Opens split <paramref name="split"/> of <paramref name="entry"/> from its unpacked <paramref name="folder"/>.</summary>
    public static IImageDataset Open(DatasetCatalogEntry entry, string folder, string split)
    {
        if (!entry.Splits.ContainsKey(split))
            throw new ProbeBenchException($"{entry.Name} has splits {string.Join(", ", entry.Splits.Keys)}, not '{split}'.");
        if (!Directory.Exists(folder))
            throw new ProbeBenchException($"{entry.Name}: the folder {folder} does not exist.");
        return Readers.TryGetValue(entry.Format, out var read)
            ? read(entry, Path.GetFullPath(folder), split)
            : throw new ProbeBenchException($"The dataset catalog entry '{entry.Name}' has unknown format '{entry.Format}'.");
    }
}
