using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime.InteropServices;
using ProbeBench.Cli;
using ProbeBench.Cli.Commands;

// Log lines name paths and options: in a pipe or file, wrapping them at 80 columns would cut names in two.
if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 4096;

var root = new RootCommand("ProbeBench: how good are frozen DINOv2 and DINOv3 features? Extract, cache, probe, measure.");
foreach (var command in CommandCatalog.Create())
    root.Subcommands.Add(command);
var parse = root.Parse(args);
if (CliErrors.ParseErrors(parse) is { } code) return code;
// Ctrl+C (SIGINT) and SIGTERM cancel an async command's token: it stops at its next check and what finished stays reusable; a
// second signal ends the process at once. A synchronous command (a listing, bench, synthesize) keeps the default: it ends at
// once, and its writes are atomic anyway. (System.CommandLine handles no signal unless ProcessTerminationTimeout is set, and then
// ends the process when that runs out, fit or batch half done; here the command decides.)
using var termination = new CancellationTokenSource();
var cancelledExitCode = CliErrors.Interrupted;
PosixSignalRegistration? Cancel(PosixSignal signal, string name, int exitCode) => parse.Action is not AsynchronousCommandLineAction ? null : PosixSignalRegistration.Create(signal, context =>
{
    if (termination.IsCancellationRequested) return; // the second one: the default action, the process ends
    context.Cancel = true;
    cancelledExitCode = exitCode;
    Console.Error.WriteLine($"stopping at the next check ({name} again to stop at once) ...");
    termination.Cancel();
});
using var onInterrupt = Cancel(PosixSignal.SIGINT, "Ctrl+C", CliErrors.Interrupted);
using var onTerminate = Cancel(PosixSignal.SIGTERM, "SIGTERM", CliErrors.Terminated);
return await CliErrors.RunAsync(() => parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, termination.Token), () => cancelledExitCode);
