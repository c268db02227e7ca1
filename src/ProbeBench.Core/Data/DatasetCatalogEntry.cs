using System.Text.Json.Serialization;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Data;

/// <summary>One dataset as listed in <c>datasets/catalog.json</c> (the keys are documented in <c>datasets/README.md</c>).</summary>
public sealed record DatasetCatalogEntry
{
    public string Name { get; init; } = "";
    /// <summary>How the installed folder is read (see <see cref="DatasetFormats"/>).</summary>
    public string Format { get; init; } = "";
    public string Description { get; init; } = "";
    public string? Homepage { get; init; }
    /// <summary>Terms of use in a few words, as the publisher states them.</summary>
    public string? License { get; init; }
    /// <summary>The metric results are reported with: top1, mean-per-class or map11 (<see cref="Kernel.DatasetMetrics"/>).</summary>
    public string Metric { get; init; } = Kernel.DatasetMetrics.Top1;
    /// <summary>What the split definition is and where it comes from.</summary>
    public string? SplitNote { get; init; }
    /// <summary>The files to download or bring, in order; each is verified by its checksum, then unpacked.</summary>
    public IReadOnlyList<DatasetFile> Files { get; init; } = [];
    /// <summary>Never downloaded: the user brings the folder (ImageNet); <see cref="Notes"/> says how.</summary>
    public bool Local { get; init; }
    /// <summary>Instructions shown when files must be brought by hand (dead URLs, registration).</summary>
    public string? Notes { get; init; }
    /// <summary>Folder the dataset is installed to, relative to the data root.</summary>
    public string Folder { get; init; } = "";
    /// <summary>The sub-folder of the unpacked files that becomes <see cref="Folder"/> ("" = all of them).</summary>
    public string ArchiveRoot { get; init; } = "";
    public int ImageSize { get; init; }
    /// <summary>Split name → image count; the installer checks the unpacked folder reads to exactly these counts.</summary>
    public IReadOnlyDictionary<string, int> Splits { get; init; } = new Dictionary<string, int>();
    /// <summary>Class names in label order (the installer checks the data agrees, where the data names its classes).</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];
    /// <summary>classification (default), depth or segmentation: which heads fit it (dense heads need per-pixel labels).</summary>
    public string? Task { get; init; }
    /// <summary>The preprocessing recipe used when the plan names none (dense datasets: a size that keeps the whole image).</summary>
    public string? Recipe { get; init; }

    // The one-archive form older catalogs use (url, archive, md5/sha256, archiveBytes); read into Files.
    public string? Url { get; init; }
    public string? Archive { get; init; }
    public string? Md5 { get; init; }
    public string? Sha256 { get; init; }
    public long? ArchiveBytes { get; init; }

    /// <summary>Published size of all files (approximate where the publisher rounds), for display.</summary>
    [JsonIgnore] public long? TotalBytes => Files.Count > 0 && Files.All(f => f.Bytes is not null) ? Files.Sum(f => f.Bytes!.Value) : null;

    /// <summary>Whether results on this dataset are multi-label (one score per class, mAP).</summary>
    [JsonIgnore] public bool MultiLabel => Metric == Kernel.DatasetMetrics.Map11;

    /// <summary>What the dataset's labels are (<see cref="Task"/> parsed).</summary>
    [JsonIgnore] public Dense.DenseTask DenseTask => Dense.DenseLabels.Parse(Task);

    /// <summary>The entry with the one-archive form moved into <see cref="Files"/>.</summary>
    internal DatasetCatalogEntry Normalised() =>
        Files.Count > 0 || Url is null ? this
        : this with
        {
            Files = [new DatasetFile { Name = Archive ?? "", Url = Url, Md5 = Md5, Sha256 = Sha256, Bytes = ArchiveBytes }],
            ArchiveRoot = string.IsNullOrEmpty(ArchiveRoot) ? Folder : ArchiveRoot,
        };
}

/// <summary>One file of a catalog dataset.</summary>
public sealed record DatasetFile
{
    /// <summary>The file name under <c>&lt;data root&gt;/downloads/</c>.</summary>
    public string Name { get; init; } = "";
    /// <summary>Official URL; null when the file must be brought by hand (the entry's notes say from where).</summary>
    public string? Url { get; init; }
    public string? Md5 { get; init; }
    public string? Sha1 { get; init; }
    public string? Sha256 { get; init; }
    /// <summary>Published size in bytes (display only; approximate where the publisher rounds).</summary>
    public long? Bytes { get; init; }
    /// <summary>auto (by name), tar, zip, gunzip or none.</summary>
    public UnpackKind Unpack { get; init; } = UnpackKind.Auto;
    /// <summary>Sub-folder of the dataset's staging folder it unpacks into.</summary>
    public string Into { get; init; } = "";
    /// <summary>When the URL serves a container (a zip holding this file): the file's path inside it. The container is not checked; this file is.</summary>
    public string? Member { get; init; }
    /// <summary>
    /// Who pins the checksum (publisher, torchvision, …), shown by <c>datasets list</c>; <see cref="FirstDownload"/> for a
    /// file nobody pins, whose sha256 is recorded when it is first downloaded and checked from then on.
    /// </summary>
    public string? ChecksumSource { get; init; }

    /// <summary>The <see cref="ChecksumSource"/> of a file without a published checksum.</summary>
    public const string FirstDownload = "first-download";

    /// <summary>The pinned checksum (sha256, else sha1, else md5), or null for a file checked against its first download.</summary>
    [JsonIgnore] public ExpectedChecksum? Pinned =>
        !string.IsNullOrWhiteSpace(Sha256) ? ExpectedChecksum.Sha256(Sha256)
        : !string.IsNullOrWhiteSpace(Sha1) ? new ExpectedChecksum(System.Security.Cryptography.HashAlgorithmName.SHA1, Sha1)
        : !string.IsNullOrWhiteSpace(Md5) ? ExpectedChecksum.Md5(Md5)
        : null;

    /// <summary>The pinned checksum; a file without one has none to check before it is downloaded (see <see cref="Pinned"/>).</summary>
    [JsonIgnore] public ExpectedChecksum Checksum => Pinned
        ?? throw new ProbeBenchException($"{Name} has no published checksum; its sha256 is recorded at first download.");
}
