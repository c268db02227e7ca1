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
        var size = new Option<int>("--image-size") { Description = "Square input side for the FLOP count (a multiple of 14).", DefaultValueFactory = _ => 224 };
        var urls = new Option<bool>("--urls") { Description = "Show the download URL instead of the file name." };
        var command = new Command("models", "List the official DINOv2 backbones: parameters, FLOPs per image, checkpoint files.");
        command.Options.Add(size);
        command.Options.Add(urls);
        command.SetAction(parse =>
        {
            var side = parse.GetValue(size);
            if (side <= 0 || side % 14 != 0)
                throw new ProbeBenchException($"--image-size {side} must be a positive multiple of 14.");
            var table = new Table().AddColumns("model", "embed", "depth", "heads", "ffn", "registers", "params",
                $"GFLOP/img @{side}", parse.GetValue(urls) ? "url" : "checkpoint file");
            foreach (var v in DinoV2Variants.All)
            {
                var c = v.Config;
                table.AddRow(
                    v.Name,
                    c.EmbedDim.ToString(CultureInfo.InvariantCulture),
                    c.Depth.ToString(CultureInfo.InvariantCulture),
                    c.NumHeads.ToString(CultureInfo.InvariantCulture),
                    c.Ffn == FfnLayer.Mlp ? "mlp" : "swiglufused",
                    c.NumRegisterTokens.ToString(CultureInfo.InvariantCulture),
                    FormatCount(DinoV2Cost.Parameters(c)),
                    (DinoV2Cost.FlopsPerImage(c, side, side) / 1e9).ToString("F2", CultureInfo.InvariantCulture),
                    Markup.Escape(parse.GetValue(urls) ? v.CheckpointUrl.ToString() : v.CheckpointFileName));
            }
            WideConsole().Write(table);
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
