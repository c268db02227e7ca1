using ProbeBench.Core.Data;

namespace ProbeBench.Core.Evaluation;

/// <summary>Opens a <see cref="DatasetSpec"/>'s split from a data root.</summary>
public static class DatasetResolver
{
    public static IImageDataset Open(DatasetSpec spec, string split, string dataRoot)
    {
        var layout = spec.Name.ToLowerInvariant() switch
        {
            "cifar10" => CifarLayout.Cifar10,
            "cifar100" => CifarLayout.Cifar100,
            "cifar100-coarse" => CifarLayout.Cifar100Coarse,
            _ => throw new ProbeBenchException($"Unknown dataset '{spec.Name}'; use cifar10, cifar100 or cifar100-coarse."),
        };
        var folder = spec.Path ?? Path.Combine(dataRoot, layout.Folder);
        return CifarDataset.Open(layout, folder, split);
    }
}
