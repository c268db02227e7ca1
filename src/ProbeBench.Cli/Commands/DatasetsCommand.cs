using System.CommandLine;
using System.Globalization;
using ProbeBench.Core;
using ProbeBench.Core.Data;
using ProbeBench.Core.Weights;
using Spectre.Console;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench datasets list|download</c>: the catalog datasets, where they live, and fetching them.</summary>
internal static class DatasetsCommand
{
    public static Command Create()
    {
        var command = new Command("datasets", "List the catalog datasets or download them into a data root.");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateDownload());
        return command;
    }

    private static Option<string?> DataRootOption() =>
        new("--data-root") { Description = $"Folder that holds the datasets (default {DatasetOpener.DefaultDataRoot})." };

    private static Command CreateList()
    {
        var dataRoot = DataRootOption();
        var command = new Command("list", "Show every catalog dataset: classes, splits, archive size, and whether it is installed.");
        command.Options.Add(dataRoot);
        command.SetAction(parse =>
        {
            var root = parse.GetValue(dataRoot) ?? DatasetOpener.DefaultDataRoot;
            var catalog = DatasetCatalog.LoadDefault();
            var table = new Table().AddColumns("name", "classes", "splits", "image", "archive", "installed", "description");
            foreach (var e in catalog.Entries)
                table.AddRow(
                    e.Name,
                    e.ClassNames.Count.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape(string.Join(", ", e.Splits.Select(s => $"{s.Key} {s.Value}"))),
                    $"{e.ImageSize}×{e.ImageSize}",
                    e.ArchiveBytes is { } bytes ? (bytes / 1e6).ToString("F0", CultureInfo.InvariantCulture) + " MB" : "?",
                    DatasetInstaller.IsInstalled(e, root) ? Markup.Escape(DatasetInstaller.FolderOf(e, root)) : "no",
                    Markup.Escape(e.Description));
            ModelsCommand.WideConsole().Write(table);
            return 0;
        });
        return command;
    }

    private static Command CreateDownload()
    {
        var names = new Argument<string[]>("names") { Description = "Catalog names (see 'probebench datasets list').", Arity = ArgumentArity.OneOrMore };
        var dataRoot = DataRootOption();
        var keep = new Option<bool>("--keep-archive") { Description = "Keep the downloaded archive after unpacking it." };
        var command = new Command("download", "Download, verify and unpack catalog datasets (resumable; done once per data root).");
        command.Arguments.Add(names);
        command.Options.Add(dataRoot);
        command.Options.Add(keep);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var root = parse.GetValue(dataRoot) ?? DatasetOpener.DefaultDataRoot;
            var catalog = DatasetCatalog.LoadDefault();
            var entries = parse.GetValue(names)!.Select(catalog.Get).ToList();
            var installer = new DatasetInstaller();
            foreach (var entry in entries)
            {
                if (DatasetInstaller.IsInstalled(entry, root))
                {
                    AnsiConsole.MarkupLineInterpolated($"{entry.Name}: already at {DatasetInstaller.FolderOf(entry, root)}");
                    continue;
                }
                var folder = await DownloadProgressDisplay.RunAsync(progress =>
                    installer.EnsureInstalledAsync(entry, root, progress, parse.GetValue(keep), cancellationToken));
                AnsiConsole.MarkupLineInterpolated($"{entry.Name}: ready at {folder}");
            }
            return 0;
        });
        return command;
    }
}
