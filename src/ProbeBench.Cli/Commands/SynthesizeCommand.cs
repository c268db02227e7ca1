using System.CommandLine;
using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench synthesize</c>: write a small learnable dataset in the official CIFAR binary layout (offline demos, CI).</summary>
internal static class SynthesizeCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("dataset") { Description = "cifar10 or cifar100." };
        var dataRoot = new Option<string?>("--data-root") { Description = "Where to write it (default: <cache>/data)." };
        var trainPerFile = new Option<int>("--train-per-file") { Description = "Training images per batch file (CIFAR-10 has 5 files).", DefaultValueFactory = _ => 100 };
        var test = new Option<int>("--test") { Description = "Test images.", DefaultValueFactory = _ => 100 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0 };
        var command = new Command("synthesize", "Write a small synthetic dataset in the CIFAR binary layout (learnable classes), for trying ProbeBench offline.");
        command.Arguments.Add(name);
        foreach (var o in new Option[] { dataRoot, trainPerFile, test, seed }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var layout = parse.GetValue(name)!.ToLowerInvariant() switch
            {
                "cifar10" => CifarLayout.Cifar10,
                "cifar100" => CifarLayout.Cifar100,
                var other => throw new Core.ProbeBenchException($"synthesize writes cifar10 or cifar100, not '{other}'."),
            };
            if (parse.GetValue(trainPerFile) <= 0 || parse.GetValue(test) <= 0)
                throw new Core.ProbeBenchException("--train-per-file and --test must be positive.");
            var root = CacheDirectories.DataRoot(parse.GetValue(dataRoot));
            var folder = SyntheticCifarWriter.Write(root, layout, parse.GetValue(trainPerFile), parse.GetValue(test), parse.GetValue(seed));
            Console.WriteLine($"wrote synthetic {layout.Name} to {folder}");
            return 0;
        });
        return command;
    }
}
