using System.CommandLine;
using System.Globalization;
using ProbeBench.Core;
using ProbeBench.Core.Models;
using Spectre.Console;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench models</c>: the official DINOv2 backbones with their size, cost and checkpoint file.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var size = new Option<int>("--image-size") { Description = "Square input side for the FLOP count (a multiple of each model's patch size).", DefaultValueFactory = _ => 224 };
        var urls = new Option<bool>("--urls") { Description = "Show the download URL instead of the file name." };
        var command = new Command("models", "List the published backbones of every family: parameters, FLOPs per image, checkpoint files, short names.");
        command.Options.Add(size);
        command.Options.Add(urls);
        command.SetAction(parse =>
        {
            var side = parse.GetValue(size);
            var table = new Table().AddColumns("model", "family", "embed", "depth", "heads", "patch", "ffn", "prefix tokens", "params",
                $"GFLOP/img @{side}", parse.GetValue(urls) ? "url" : "checkpoint file");
            foreach (var family in BackboneFamilies.All)
                foreach (var v in family.Variants)
                {
                    var c = v.Config;
                    if (family.CheckInputSize(c, side, side) is { } problem)
                        throw new ProbeBenchException($"--image-size {side}: {problem} of {v.Name}.");
                    table.AddRow(
                        v.Name,
                        family.Title,
                        c.EmbedDim.ToString(CultureInfo.InvariantCulture),
                        c.Depth.ToString(CultureInfo.InvariantCulture),
                        c.NumHeads.ToString(CultureInfo.InvariantCulture),
                        c.PatchSize.ToString(CultureInfo.InvariantCulture),
                        c.FfnKind,
                        c.PrefixTokens.ToString(CultureInfo.InvariantCulture),
                        FormatCount(family.Parameters(c)),
                        (family.FlopsPerImage(c, side, side) / 1e9).ToString("F2", CultureInfo.InvariantCulture),
                        Markup.Escape(parse.GetValue(urls) ? v.Checkpoint.Url?.ToString() ?? "(bring the file: no public URL)" : v.Checkpoint.FileName));
                }
            var console = WideConsole();
            console.Write(table);
            foreach (var family in BackboneFamilies.All)
                console.WriteLine($"{family.Title} short names: {family.ShortNames}");
            foreach (var obtain in BackboneFamilies.Variants.Select(v => v.Checkpoint).Where(c => c.Url is null).Select(c => c.ObtainFrom).Distinct())
                console.WriteLine($"Files without a public URL: {obtain}; put them in the checkpoint cache or give their path as --weights.");
            return 0;
        });
        return command;
    }

    /// <summary>The console, widened when output goes to a file or pipe so tables are not wrapped at 80 columns.</summary>
    internal static IAnsiConsole WideConsole()
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected) console.Profile.Width = Math.Max(console.Profile.Width, 240);
        return console;
    }

    internal static string FormatCount(long count) => count >= 1_000_000_000
        ? (count / 1e9).ToString("F2", CultureInfo.InvariantCulture) + " B"
        : (count / 1e6).ToString("F1", CultureInfo.InvariantCulture) + " M";
}
