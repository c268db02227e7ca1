using System.CommandLine;
using ProbeBench.Cli;
using ProbeBench.Cli.Commands;

// Log lines name paths and options: in a pipe or file, wrapping them at 80 columns would cut names in two.
if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 4096;

var root = new RootCommand("ProbeBench: how good are frozen DINOv2 and DINOv3 features? Extract, cache, probe, measure.");
foreach (var command in CommandCatalog.Create())
    root.Subcommands.Add(command);
var parse = root.Parse(args);
if (CliErrors.ParseErrors(parse) is { } code) return code;
return await CliErrors.RunAsync(() => parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
