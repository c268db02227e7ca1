using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Cli;

/// <summary>A command line that does not parse is a usage error: exit 2 (compare's 1 means a regression), a short message, no help dump.</summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("compare", "--no-such-flag", "a", "b")]
    [InlineData("run", "--dataset", "a", "--dataset", "b")]
    [InlineData("results", "shw")]
    [InlineData("bench", "--format", "bogus")]
    public void A_command_line_that_does_not_parse_exits_2_with_the_error_and_where_help_is(params string[] args)
    {
        var outcome = CliProcess.Run(args);

        Assert.Equal(2, outcome.ExitCode);
        Assert.StartsWith("error: ", outcome.StdErr);
        Assert.Contains($"see: probebench {args[0]} --help", outcome.StdErr);
        Assert.DoesNotContain("Usage:", outcome.All);
    }

    [Theory]
    [InlineData("sweep plan --no-such-flag", "sweep plan")]
    [InlineData("sweep status a --poll x", "sweep status")]
    [InlineData("cache list --bogus", "cache list")]
    public void A_subcommand_s_usage_error_points_at_its_own_help(string line, string command)
    {
        var outcome = CliProcess.Run(line.Split(' '));
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains($"see: probebench {command} --help", outcome.StdErr);
    }
}
