using System.CommandLine;
using ProbeBench.Core;
using ProbeBench.Core.IO;

namespace ProbeBench.Cli;

/// <summary>Turns <see cref="ProbeBenchException"/>, file-system errors and command-line mistakes into one line on stderr and their exit code.</summary>
internal static class CliErrors
{
    /// <summary>Exit code of a command line that does not parse: that of a usage error (2), never 1, which compare uses for a regression.</summary>
    public const int UsageError = 2;

    /// <summary>Writes the parse errors of <paramref name="parse"/> (one line each, and where --help is) and returns 2; null when it parsed.</summary>
    public static int? ParseErrors(ParseResult parse)
    {
        if (parse.Errors.Count == 0) return null;
        foreach (var error in parse.Errors.Select(e => e.Message).Distinct())
            Console.Error.WriteLine($"error: {error}");
        // The command's names from below the root down to it ("sweep plan"): a command's Parents are its parent alone.
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent) names.Insert(0, result.Command.Name);
        var path = string.Join(' ', names);
        Console.Error.WriteLine($"see: probebench {(path.Length > 0 ? path + " " : "")}--help");
        return UsageError;
    }

    /// <summary>Exit codes after a cancelling signal, 128 + its number, as a shell reports a command the signal ended.</summary>
    public const int Interrupted = 130, Terminated = 143;

    private const string CancelledMessage =
        "cancelled: finished features and downloads are kept, and the same command again reuses them; nothing unfinished looks complete.";

    /// <param name="cancelledExitCode">The exit code when the command ends cancelled (<see cref="Interrupted"/> or <see cref="Terminated"/>, by the signal that came).</param>
    public static async Task<int> RunAsync(Func<Task<int>> body, Func<int>? cancelledExitCode = null)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (Cause(e) is { } cause)
        {
            // Plain stderr: never wrapped or coloured, so logs and scripts see the whole sentence.
            await Console.Error.WriteLineAsync($"error: {cause.Message}");
            return cause.ExitCode;
        }
        catch (Exception e) when (IsCancellation(e))
        {
            await Console.Error.WriteLineAsync(CancelledMessage);
            return cancelledExitCode?.Invoke() ?? Interrupted;
        }
    }

    // A ProbeBenchException, or the first one inside the AggregateException a parallel loop wraps its workers' errors in. A
    // file-system error that no stage put into words (its message names the file) is still the user's to act on: one line too.
    internal static ProbeBenchException? Cause(Exception e) => e switch
    {
        ProbeBenchException direct => direct,
        IOException or UnauthorizedAccessException => FileSystem(e),
        AggregateException aggregate => aggregate.Flatten().InnerExceptions.OfType<ProbeBenchException>().FirstOrDefault()
            ?? aggregate.Flatten().InnerExceptions.Select(Cause).OfType<ProbeBenchException>().FirstOrDefault(),
        _ => null,
    };

    // Ctrl+C reaches the command as its token; what comes back is an OperationCanceledException, or an AggregateException of
    // them from a parallel loop (a worker's real error is a Cause above).
    internal static bool IsCancellation(Exception e) => e switch
    {
        OperationCanceledException => true,
        AggregateException aggregate => aggregate.Flatten().InnerExceptions.All(IsCancellation),
        _ => false,
    };

    private static ProbeBenchException FileSystem(Exception e) =>
        new(DiskFull.Is(e) ? $"{e.Message.TrimEnd('.')}: the disk is full; free space there (or write elsewhere) and run again." : e.Message, inner: e);
}
