using System.CommandLine;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench sweep plan|work|submit|status|merge</c>: one plan as work units on many workers, merged into one run.</summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var command = new Command("sweep", "Run a plan as work units on a Slurm cluster, on every GPU of a box, or as a Kubernetes Indexed Job; then merge one run folder.");
        command.Subcommands.Add(SweepPlanCommand.Create());
        command.Subcommands.Add(SweepWorkCommand.Create());
        command.Subcommands.Add(SweepSubmitCommand.Create());
        command.Subcommands.Add(SweepStatusCommand.Create());
        command.Subcommands.Add(SweepMergeCommand.Create());
        return command;
    }

    public static Argument<string> FolderArgument() => new("dir") { Description = "The sweep folder (made by probebench sweep plan; on a file system every worker sees)." };
}
