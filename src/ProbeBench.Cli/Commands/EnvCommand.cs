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
            table.AddRow("CPU bf16", Markup.Escape(CpuFeatures.Describe()));
            table.AddRow("k-NN search on CPU", CpuFeatures.NativeBf16 ? "bf16 screen, exact rescoring" : "fp32 matmul (no native bf16)");
            table.AddRow("backbone precision on CPU", CpuFeatures.NativeBf16
                ? "fp32 by default; --precision bf16 runs natively here (see README: CPU bf16)"
                : "fp32 (bf16 would be emulated: slower)");
            table.AddRow("native heap", NativeHeap.Mode switch
            {
                "heap-reuse" => $"large blocks reused, not unmapped ({NativeHeap.EnvironmentVariable}=system for glibc's defaults)",
                "system" => $"glibc's defaults ({NativeHeap.EnvironmentVariable}=system)",
                _ => "the C library's defaults",
            });
            table.AddRow("device", Markup.Escape(result.Device));
            using (var streams = DeviceStreams.For(TorchRuntime.ResolveDevice(parse.GetValue(device)!)))
                table.AddRow("extraction pipeline", Markup.Escape(streams.Description));
            table.AddRow("matmul max |error|", result.MaxAbsError.ToString("G3"));
            AnsiConsole.Write(table);
            return result.MaxAbsError < 1e-3 ? 0 : 1;
        });
        return command;
    }
}
