using System.CommandLine;
using ProbeBench.Core.Cache.Export;
using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench export</c>: a run's (or cache entries') features as .npy, safetensors or Parquet, with labels, class names, ids and provenance.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = "A run (its name under --out, or its folder), or the start of a feature-cache key (probebench cache list)." };
        var to = new Option<string>("--to") { Description = "Folder to write the files into (created if needed); files appear there only when every one is written.", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace files of the same names already in --to (without it, such an export is refused before anything is written)." };
        var format = new Option<string>("--format") { Description = $"File format: {string.Join(", ", FeatureExportWriter.Formats)} (default npy).", DefaultValueFactory = _ => "npy" };
        var layers = new Option<string?>("--layers") { Description = "Only these layer choices (comma list, as the run names them)." };
        var splits = new Option<string?>("--splits") { Description = "Only these splits (comma list)." };
        var output = new Option<string>("--out") { Description = "Results root the run names are under (default results/runs).", DefaultValueFactory = _ => "results/runs" };
        var cacheRoot = new Option<string?>("--cache-root") { Description = $"Cache root (default: the run's own, else ${CacheDirectories.EnvironmentVariable} or ~/.cache/probebench)." };
        var dataRoot = new Option<string?>("--data-root") { Description = "Data root the run's datasets are reopened from to name their rows (default: the run's own)." };
        var command = new Command("export", "Export features with labels, class names, image ids and provenance to .npy, safetensors or Parquet (docs/cache.md).");
        command.Arguments.Add(source);
        foreach (var o in new Option[] { to, format, layers, splits, output, cacheRoot, dataRoot, overwrite }) command.Options.Add(o);
        command.SetAction(async (parse, cancellation) =>
        {
            var written = await FeatureExport.RunAsync(new FeatureExport.Request(
                parse.GetValue(source)!, parse.GetValue(to)!, parse.GetValue(format)!.Trim().ToLowerInvariant(), parse.GetValue(cacheRoot), parse.GetValue(dataRoot),
                parse.GetValue(output)!, parse.GetValue(layers) is { } l ? CommonOptions.SplitLayers(l) : null,
                parse.GetValue(splits) is { } s ? CommonOptions.SplitList(s) : null, parse.GetValue(overwrite)),
                message => Console.Error.WriteLine(message), cancellation);
            Console.Out.WriteLine($"{written.Count} files written to {Path.GetFullPath(parse.GetValue(to)!)}");
            return 0;
        });
        return command;
    }
}
