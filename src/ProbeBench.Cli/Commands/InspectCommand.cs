using System.CommandLine;
using System.Globalization;
using ProbeBench.Core;
using ProbeBench.Core.Models;
using ProbeBench.Core.Runtime;
using ProbeBench.Core.Weights;
using Spectre.Console;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench inspect &lt;checkpoint&gt;</c>: what a checkpoint holds and which backbone variant it is.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "A .pth (torch.save state dict), a .safetensors file, a transformers folder (model.safetensors + config.json), or an official or short model name (downloaded into the cache)." };
        var cacheRoot = new Option<string?>("--cache-root") { Description = $"Cache root for downloaded checkpoints (default: ${CacheDirectories.EnvironmentVariable} or ~/.cache/probebench)." };
        var config = new Option<string?>("--model-config") { Description = "A config file giving the hyper-parameters (a transformers config.json for DINOv2, needed for its non-official sizes; DINOv3 checkpoints describe themselves)." };
        var keys = new Option<bool>("--keys") { Description = "Also list every tensor with its shape and dtype." };
        var command = new Command("inspect", "Show what a checkpoint holds (format, sha256, tensors) and which backbone variant it is.");
        command.Arguments.Add(checkpoint);
        command.Options.Add(config);
        command.Options.Add(keys);
        command.Options.Add(cacheRoot);
        command.SetAction(async (parse, cancellation) =>
        {
            var store = new CheckpointStore(Path.Combine(CacheDirectories.Root(parse.GetValue(cacheRoot)), "weights"));
            var path = await BackboneCheckpoints.ResolveAsync(parse.GetValue(checkpoint)!, store, new DownloadProgressLines(), cancellation);
            using var state = BackboneCheckpoints.Read(path);
            var console = ModelsCommand.WideConsole();
            var info = state.Info;
            var family = BackboneFamilies.Recognize(state.Keys.ToList(), path);
            var shapes = BackboneCheckpoints.Shapes(state);
            var (architecture, variant) = family.Describe(shapes, path);

            var summary = new Table().AddColumns("what", "value");
            summary.AddRow("checkpoint", Markup.Escape(Path.GetFullPath(info.Path)));
            summary.AddRow("format", info.Format.ToString());
            summary.AddRow("size", $"{info.SizeBytes / 1048576.0:F1} MiB ({info.SizeBytes.ToString(CultureInfo.InvariantCulture)} bytes)");
            summary.AddRow("sha256", info.Sha256);
            summary.AddRow("tensors", $"{state.Count} ({ModelsCommand.FormatCount(state.ParameterCount)} values; " +
                string.Join(", ", state.Values.GroupBy(t => t.dtype).Select(g => $"{g.Key} x{g.Count()}")) + ")");
            summary.AddRow("family", family.Title);
            summary.AddRow("architecture", Markup.Escape(architecture));
            summary.AddRow("variant", Markup.Escape(variant is not null ? $"{variant.Name} (official file {variant.Checkpoint.FileName})" : $"not an official {family.Title} variant"));
            summary.AddRow("model", Markup.Escape(DescribeModel(state, family, shapes, parse.GetValue(config))));
            console.Write(summary);

            if (parse.GetValue(keys))
            {
                var table = new Table().AddColumns("key", "shape", "dtype");
                foreach (var (key, tensor) in state)
                    table.AddRow(Markup.Escape(key), Markup.Escape(StrictStateDictCheck.Format(tensor.shape)), tensor.dtype.ToString());
                console.Write(table);
            }
            return 0;
        });
        return command;
    }

    // Whether the weights build a model strictly, and with which heads and settings.
    private static string DescribeModel(StateDict state, IBackboneFamily family, IReadOnlyDictionary<string, long[]> shapes, string? configPath)
    {
        try
        {
            var config = BackboneCheckpoints.ResolveConfig(state, family, configPath);
            StrictStateDictCheck.Verify(family.ExpectedShapes(config), shapes, state.Info.Path);
            return $"loads strictly: {config.NumHeads} heads, {family.FlopsPerImage(config, 224, 224) / 1e9:F2} GFLOP per 224x224 image, {family.Settings(config)}";
        }
        catch (ProbeBenchException e)
        {
            return $"does not load as is: {e.Message}";
        }
    }
}
