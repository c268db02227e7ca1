using ProbeBench.Cli.Commands;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Cli;

/// <summary>The README's command table names every command and subcommand the CLI has, and nothing it does not.</summary>
public sealed class ReadmeCommandTableTests
{
    [Fact]
    public void Every_command_and_subcommand_is_in_the_readme_table()
    {
        var readme = File.ReadAllText(Path.Combine(SharedFixtures.RepositoryRoot, "README.md"));
        var start = readme.IndexOf("| command | what it is for |", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no command table");
        var rows = readme[start..].Split('\n').Skip(2).TakeWhile(line => line.StartsWith('|')).ToList();
        // The first cell of each row, e.g. "`probebench results list\|show\|schema`" or "`probebench models`, `inspect <ckpt>`".
        var cells = rows.Select(r => r.Split(" | ")[0].TrimStart('|', ' ').Replace("\\|", "|")).ToList();
        var named = cells.SelectMany(c => c.Split('`', StringSplitOptions.RemoveEmptyEntries).Where(s => s.Trim() is not ("" or ",")))
            .Select(s => s.Replace("probebench ", "").Split(' ')).ToList();

        var commands = CommandCatalog.Create().ToList();
        foreach (var command in commands)
        {
            var entry = named.FirstOrDefault(n => n[0] == command.Name);
            Assert.True(entry is not null, $"README's command table has no row for probebench {command.Name}");
            var subcommands = command.Subcommands.Select(s => s.Name).ToList();
            if (subcommands.Count == 0) continue;
            var listed = entry!.Length > 1 ? entry[1].Split('|') : [];
            Assert.True(subcommands.Order().SequenceEqual(listed.Order()),
                $"README lists probebench {command.Name} {string.Join('|', listed)}; the CLI has {string.Join('|', subcommands)}");
        }
        Assert.All(named, n => Assert.Contains(commands, c => c.Name == n[0]));
    }
}
