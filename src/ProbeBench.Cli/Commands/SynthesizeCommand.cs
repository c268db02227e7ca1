using System.CommandLine;
using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Core.Data.Dense;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Cli.Commands;

/// <summary>
/// <c>probebench synthesize</c>: write a small learnable dataset for offline demos and CI: CIFAR-10/100 in the official
/// binary layout, or a depth or segmentation set in the plain dense folder layouts (give the folder as --dataset).
/// </summary>
internal static class SynthesizeCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("dataset") { Description = "cifar10, cifar100, depth (image + 16-bit depth PNG pairs) or seg (image + class-map pairs)." };
        var dataRoot = new Option<string?>("--data-root") { Description = "Where to write it (default: <cache>/data)." };
        var trainPerFile = new Option<int>("--train-per-file") { Description = "CIFAR: training images per batch file (CIFAR-10 has 5 files).", DefaultValueFactory = _ => 100 };
        var train = new Option<int>("--train") { Description = "depth, seg: training images.", DefaultValueFactory = _ => 48 };
        var test = new Option<int>("--test") { Description = "Test images.", DefaultValueFactory = _ => 100 };
        var size = new Option<int>("--size") { Description = "depth, seg: image side in pixels.", DefaultValueFactory = _ => 112 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0 };
        var command = new Command("synthesize", "Write a small synthetic dataset (learnable): CIFAR binary layout, or a depth or segmentation folder, for trying ProbeBench offline.");
        command.Arguments.Add(name);
        foreach (var o in new Option[] { dataRoot, trainPerFile, train, test, size, seed }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var root = CacheDirectories.DataRoot(parse.GetValue(dataRoot));
            var which = parse.GetValue(name)!.ToLowerInvariant();
            if (which is "depth" or "seg")
            {
                var task = which == "depth" ? DenseTask.Depth : DenseTask.Segmentation;
                var dense = SyntheticDenseWriter.Write(root, task, parse.GetValue(train), parse.GetValue(test), parse.GetValue(size), parse.GetValue(seed));
                Console.WriteLine($"wrote synthetic {which} data to {dense} (run it with --dataset {dense})");
                return 0;
            }
            var layout = which switch
            {
                "cifar10" => CifarLayout.Cifar10,
                "cifar100" => CifarLayout.Cifar100,
                var other => throw new ProbeBenchException($"synthesize writes cifar10, cifar100, depth or seg, not '{other}'."),
            };
            var folder = SyntheticCifarWriter.Write(root, layout, parse.GetValue(trainPerFile), parse.GetValue(test), parse.GetValue(seed));
            Console.WriteLine($"wrote synthetic {layout.Name} to {folder}");
            return 0;
        });
        return command;
    }
}
