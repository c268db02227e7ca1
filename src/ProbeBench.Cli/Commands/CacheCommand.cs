using System.CommandLine;
using ProbeBench.Core.Cache;
using ProbeBench.Core.Runtime;
using Spectre.Console;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench cache list | verify | remove</c> over the feature cache.</summary>
internal static class CacheCommand
{
    public static Command Create()
    {
        var root = new Option<string?>("--cache-root") { Description = $"Cache root (default: ${CacheDirectories.EnvironmentVariable} or ~/.cache/probebench)." };
        FeatureCache Open(ParseResult parse) => new(parse.GetValue(root) ?? CacheDirectories.Root());

        var list = new Command("list", "List feature-cache entries with state, size and provenance.");
        list.Options.Add(root);
        list.SetAction(parse =>
        {
            var cache = Open(parse);
            var entries = cache.List();
            var table = new Table().AddColumns("key", "state", "rows", "dim", "storage", "size", "layer choice", "dataset/split", "precision", "created (UTC)");
            foreach (var e in entries)
            {
                var p = e.Manifest?.Parts;
                table.AddRow(e.Key[..12], e.State.ToString(), $"{e.Rows}/{e.ExpectedRows}", e.Dim.ToString(), e.StorageType, Size(e.Bytes),
                    Markup.Escape(p?.LayerChoice ?? "?"), Markup.Escape(p is null ? "?" : $"{p.DatasetFingerprint[..Math.Min(8, p.DatasetFingerprint.Length)]}…/{p.Split}"),
                    p?.Precision ?? "?", e.Manifest?.CreatedUtc.ToString("u") ?? "?");
            }
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{entries.Count} entries, {Size(entries.Sum(e => e.Bytes))} under {Markup.Escape(cache.FeaturesFolder)}");
            return 0;
        });

        var verify = new Command("verify", "Check every chunk of every entry (size and sha256); exit 1 when any entry is corrupt.");
        verify.Options.Add(root);
        var removeCorrupt = new Option<bool>("--remove-corrupt") { Description = "Remove corrupt entries (they are rebuilt on the next extraction)." };
        verify.Options.Add(removeCorrupt);
        verify.SetAction(parse =>
        {
            var cache = Open(parse);
            var corrupt = 0;
            foreach (var e in cache.List())
            {
                var problem = cache.Verify(e.Key);
                var resumable = problem?.StartsWith("incomplete", StringComparison.Ordinal) == true;
                AnsiConsole.MarkupLine($"{e.Key[..12]}  {(problem is null ? "[green]ok[/]" : resumable ? $"[yellow]{Markup.Escape(problem)}[/]" : $"[red]{Markup.Escape(problem)}[/]")}");
                if (problem is null || resumable) continue;
                corrupt++;
                if (parse.GetValue(removeCorrupt)) cache.Remove(e.Key);
            }
            return corrupt == 0 ? 0 : 1;
        });

        var keys = new Argument<string[]>("keys") { Description = "Entry keys (or unique prefixes), or 'all'.", Arity = ArgumentArity.OneOrMore };
        var remove = new Command("remove", "Remove entries by key (prefix) or all of them.");
        remove.Options.Add(root);
        remove.Arguments.Add(keys);
        remove.SetAction(parse =>
        {
            var cache = Open(parse);
            var entries = cache.List();
            var wanted = parse.GetValue(keys)!;
            var chosen = wanted.Contains("all") ? entries.ToList() : wanted.Select(k =>
            {
                var matches = entries.Where(e => e.Key.StartsWith(k, StringComparison.OrdinalIgnoreCase)).ToList();
                return matches.Count == 1 ? matches[0] : throw new Core.ProbeBenchException(
                    matches.Count == 0 ? $"No feature-cache entry has a key starting with '{k}'." : $"'{k}' matches {matches.Count} entries; give more of the key.");
            }).ToList();
            foreach (var e in chosen) cache.Remove(e.Key);
            AnsiConsole.MarkupLine($"removed {chosen.Count} entries ({Size(chosen.Sum(e => e.Bytes))})");
            return 0;
        });

        var command = new Command("cache", "Inspect and manage the feature cache.");
        command.Subcommands.Add(list);
        command.Subcommands.Add(verify);
        command.Subcommands.Add(remove);
        return command;
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F2} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MiB",
        _ => $"{bytes / 1024.0:F1} KiB",
    };
}
