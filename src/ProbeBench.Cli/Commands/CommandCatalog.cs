using System.CommandLine;

namespace ProbeBench.Cli.Commands;

/// <summary>Every sub-command of <c>probebench</c>; each lives in its own file.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> Create()
    {
        yield return EnvCommand.Create();
        yield return ModelsCommand.Create();
        yield return HeadsCommand.Create();
        yield return InspectCommand.Create();
        yield return BenchCommand.Create();
        yield return ExtractCommand.Create();
        yield return SynthesizeCommand.Create();
        yield return RunCommand.Create();
        yield return CompareCommand.Create();
        yield return ResultsCommand.Create();
        yield return CacheCommand.Create();
        yield return ExportCommand.Create();
        yield return DatasetsCommand.Create();
        yield return SweepCommand.Create();
    }
}
