using System.CommandLine;
using System.Globalization;
using ProbeBench.Core.Data;
using ProbeBench.Core.Kernel;
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
        var command = new Command("list", "Show every catalog dataset: metric, classes, splits, download size, license note, and whether it is installed.");
        command.Options.Add(dataRoot);
        command.SetAction(parse =>
        {
            var root = parse.GetValue(dataRoot) ?? DatasetOpener.DefaultDataRoot;
            var catalog = DatasetCatalog.LoadDefault();
            var table = new Table().AddColumns("name", "metric", "classes", "splits", "size", "download", "license", "installed");
            foreach (var e in catalog.Entries)
                table.AddRow(
                    e.Name,
                    DatasetMetrics.Title(e.Metric),
                    e.ClassNames.Count > 0 ? e.ClassNames.Count.ToString(CultureInfo.InvariantCulture) : "1000",
                    Markup.Escape(string.Join(", ", e.Splits.Select(s => $"{s.Key} {s.Value.ToString("N0", CultureInfo.InvariantCulture)}"))),
                    Size(e),
                    e.Local ? "local only" : e.Files.All(f => f.Url is not null) ? "by name" : "bring files",
                    Markup.Escape(e.License ?? "see homepage"),
                    DatasetInstaller.IsInstalled(e, root) ? "yes" : e.Local && Directory.Exists(DatasetInstaller.FolderOf(e, root)) ? "present" : "no");
            ModelsCommand.WideConsole().Write(table);
            foreach (var (name, members) in catalog.Suites)
                AnsiConsole.MarkupLineInterpolated($"suite {name}: {string.Join(", ", members)}");
            AnsiConsole.MarkupLineInterpolated($"data root: {root}; sizes are the publishers' (≈ where they round).");
            return 0;
        });
        return command;
    }

    private static string Size(DatasetCatalogEntry e)
    {
        if (e.TotalBytes is not { } bytes) return e.Local ? "≈150 GB" : "?";
        return bytes >= 1e9 ? $"{(bytes / 1e9).ToString("F1", CultureInfo.InvariantCulture)} GB" : $"{(bytes / 1e6).ToString("F0", CultureInfo.InvariantCulture)} MB";
    }

    private static Command CreateDownload()
    {
        var names = new Argument<string[]>("names") { Description = "Catalog names, or a suite name (see 'probebench datasets list').", Arity = ArgumentArity.OneOrMore };
        var dataRoot = DataRootOption();
        var keep = new Option<bool>("--keep-archive") { Description = "Keep the downloaded files after unpacking them (files brought by hand are always kept)." };
        var command = new Command("download", "Download, verify, unpack and check catalog datasets (resumable; done once per data root).");
        command.Arguments.Add(names);
        command.Options.Add(dataRoot);
        command.Options.Add(keep);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var root = parse.GetValue(dataRoot) ?? DatasetOpener.DefaultDataRoot;
            var catalog = DatasetCatalog.LoadDefault();
            var entries = parse.GetValue(names)!
                .SelectMany(n => catalog.Find(n) is null && catalog.Suites.ContainsKey(n) ? catalog.Suite(n) : [n])
                .Select(catalog.Get).ToList();
            var installer = new DatasetInstaller(log: message => AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(message)}[/]"));
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
