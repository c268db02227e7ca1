using System.CommandLine;
using ProbeBench.Cli;
using ProbeBench.Cli.Commands;

var root = new RootCommand("ProbeBench: how good are frozen DINOv2 features? Extract, cache, probe, measure.");
foreach (var command in CommandCatalog.Create())
    root.Subcommands.Add(command);
return await CliErrors.RunAsync(() => root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
