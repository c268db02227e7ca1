using System.CommandLine;
using System.Globalization;
using ProbeBench.Core;
using ProbeBench.Core.Cache;
using ProbeBench.Core.Runtime;
using Spectre.Console;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench cache list|verify|remove</c>: feature-cache entries with their sizes and provenance.</summary>
internal static class CacheCommand
{
    public static Command Create()
    {
        var command = new Command("cache", "Feature cache: list entries, verify their checksums, remove entries.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Verify());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Option<string?> RootOption() =>
        new("--cache-root") { Description = $"Cache root (default: ${CacheDirectories.EnvironmentVariable} or ~/.cache/probebench)." };

    private static FeatureCache Open(ParseResult parse, Option<string?> root) =>
        new(parse.GetValue(root) ?? CacheDirectories.Root());

    private static Command List()
    {
        var root = RootOption();
        var command = new Command("list", "List entries: key, state, rows, dim, storage type, size, and what they were extracted from.");
        command.Options.Add(root);
        command.SetAction(parse =>
        {
            var cache = Open(parse, root);
            var entries = cache.List();
            var table = new Table().AddColumns("key", "state", "rows", "dim", "type", "size", "checkpoint", "dataset / split", "layers", "precision", "recipe", "created (UTC)");
            foreach (var e in entries)
            {
                var p = e.Manifest?.Parts;
                table.AddRow(
                    Short(e.Key, 12),
                    e.State.ToString().ToLowerInvariant(),
                    e.State == FeatureCacheState.Complete ? Count(e.Rows) : $"{Count(e.Rows)}/{Count(e.ExpectedRows)}",
                    Count(e.Dim),
                    e.StorageType,
                    Size(e.Bytes),
                    Markup.Escape(p is null ? "?" : Short(p.CheckpointSha256, 16)),
                    Markup.Escape(p is null ? "?" : $"{Short(p.DatasetFingerprint, 16)} / {p.Split} ({p.Subset})"),
                    Markup.Escape(p?.LayerChoice ?? "?"),
                    Markup.Escape(p?.Precision ?? "?"),
                    Markup.Escape(p is null ? "?" : p.Recipe.Split(';')[0]),
                    e.Manifest?.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "?");
            }
            var console = ModelsCommand.WideConsole();
            console.Write(table);
            console.WriteLine($"{entries.Count} entries, {Size(entries.Sum(e => e.Bytes))} under {cache.FeaturesFolder}");
            return 0;
        });
        return command;
    }

    private static Command Verify()
    {
        var root = RootOption();
        var keys = new Argument<string[]>("keys") { Description = "Keys or key prefixes (default: every entry).", Arity = ArgumentArity.ZeroOrMore };
        var removeCorrupt = new Option<bool>("--remove-corrupt") { Description = "Remove entries that fail verification, so the next run rebuilds them." };
        var command = new Command("verify", "Check every chunk's size and sha256; exits 1 when an entry is corrupt.");
        command.Options.Add(root);
        command.Options.Add(removeCorrupt);
        command.Arguments.Add(keys);
        command.SetAction(parse =>
        {
            var cache = Open(parse, root);
            var selected = Select(cache, parse.GetValue(keys) ?? []);
            var corrupt = 0;
            var console = ModelsCommand.WideConsole();
            foreach (var entry in selected)
            {
                var status = cache.Inspect(entry.Key);
                var line = status.State switch
                {
                    FeatureCacheState.Complete => $"ok       {Short(entry.Key, 12)}  {status.ExpectedRows} rows",
                    FeatureCacheState.Partial => $"partial  {Short(entry.Key, 12)}  resumes at row {status.ResumeRow} of {status.ExpectedRows}" + (status.Problem is null ? "" : $" ({status.Problem})"),
                    FeatureCacheState.Corrupt => $"CORRUPT  {Short(entry.Key, 12)}  {status.Problem}",
                    _ => $"missing  {Short(entry.Key, 12)}",
                };
                if (status.State == FeatureCacheState.Corrupt)
                {
                    corrupt++;
                    if (parse.GetValue(removeCorrupt))
                    {
                        cache.Remove(entry.Key);
                        line += " (removed)";
                    }
                }
                console.WriteLine(line);
            }
            console.WriteLine($"{selected.Count} entries checked, {corrupt} corrupt");
            return corrupt == 0 ? 0 : 1;
        });
        return command;
    }

    private static Command Remove()
    {
        var root = RootOption();
        var keys = new Argument<string[]>("keys") { Description = "Keys or key prefixes to remove, or 'all'.", Arity = ArgumentArity.ZeroOrMore };
        var partial = new Option<bool>("--partial") { Description = "Remove every partial (unfinished) entry." };
        var all = new Option<bool>("--all") { Description = "Remove every entry." };
        var command = new Command("remove", "Remove entries by key prefix, every partial entry, or all of them.");
        command.Options.Add(root);
        command.Options.Add(partial);
        command.Options.Add(all);
        command.Arguments.Add(keys);
        command.SetAction(parse =>
        {
            var cache = Open(parse, root);
            var given = parse.GetValue(keys) ?? [];
            if (given.Length == 0 && !parse.GetValue(partial) && !parse.GetValue(all))
                throw new ProbeBenchException("probebench cache remove needs keys, --partial or --all.");
            var selected = parse.GetValue(all) || given.Contains("all") ? cache.List()
                : (given.Length == 0 ? [] : Select(cache, given)).Concat(parse.GetValue(partial) ? cache.List().Where(e => e.State == FeatureCacheState.Partial) : [])
                    .DistinctBy(e => e.Key).ToList();
            foreach (var entry in selected)
            {
                cache.Remove(entry.Key);
                Console.WriteLine($"removed  {Short(entry.Key, 12)}  {Size(entry.Bytes)}");
            }
            Console.WriteLine($"{selected.Count} entries removed, {Size(selected.Sum(e => e.Bytes))} freed");
            return 0;
        });
        return command;
    }

    /// <summary>Every entry when no keys are given; else each key prefix must match exactly one entry.</summary>
    private static IReadOnlyList<FeatureCacheEntryInfo> Select(FeatureCache cache, IReadOnlyList<string> keys)
    {
        if (keys.Count == 0) return cache.List();
        var selected = new List<FeatureCacheEntryInfo>();
        foreach (var key in keys)
        {
            var matches = cache.Find(key);
            if (matches.Count == 0) throw new ProbeBenchException($"No feature-cache entry under {cache.FeaturesFolder} has a key starting with '{key}'.");
            if (matches.Count > 1) throw new ProbeBenchException($"Key prefix '{key}' matches {matches.Count} feature-cache entries; give more characters.");
            selected.Add(matches[0]);
        }
        return selected.DistinctBy(e => e.Key).ToList();
    }

    private static string Short(string text, int length) => text.Length > length ? text[..length] : text;

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("F2", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("F1", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("F1", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };
}
