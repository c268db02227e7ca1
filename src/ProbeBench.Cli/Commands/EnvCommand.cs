using System.CommandLine;
using System.Runtime.InteropServices;
using ProbeBench.Core.Runtime;
using Spectre.Console;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench env</c>: where TorchSharp's natives come from and whether a device computes.</summary>
internal static class EnvCommand
{
    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "Device to check: cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var command = new Command("env", "Check the TorchSharp runtime: libtorch location, the libstdc++ fix, a matmul on the device.");
        command.Options.Add(device);
        command.SetAction(parse =>
        {
            var result = RuntimeCheck.Run(parse.GetValue(device)!);
            var table = new Table().AddColumns("what", "value");
            table.AddRow("OS", Markup.Escape(RuntimeInformation.OSDescription));
            table.AddRow(".NET", Markup.Escape(RuntimeInformation.FrameworkDescription));
            table.AddRow("TorchSharp", Markup.Escape(result.TorchSharpVersion));
            table.AddRow("libtorch folder", Markup.Escape(result.Native?.LibTorchFolder ?? "?"));
            table.AddRow("libtorch source", result.Native?.ExternalLibTorch == true ? "PROBEBENCH_LIBTORCH" : "bundled package");
            table.AddRow("LibTorchSharp", Markup.Escape(result.Native?.LibTorchSharpPatchedCopy is { } patched
                ? $"patched copy {patched} (GLIBCXX_3.4.32 marked weak)"
                : result.Native?.LibTorchSharpOriginal ?? "?"));
            table.AddRow("device", Markup.Escape(result.Device));
            table.AddRow("matmul max |error|", result.MaxAbsError.ToString("G3"));
            AnsiConsole.Write(table);
            return result.MaxAbsError < 1e-3 ? 0 : 1;
        });
        return command;
    }
}
