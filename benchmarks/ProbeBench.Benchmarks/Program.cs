using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Running;

// Results (CSV for `probebench compare`, JSON, Markdown) go to results/benchmarks/ under the working directory.
// Quick CI job: dotnet run -c Release --project benchmarks/ProbeBench.Benchmarks -- --filter '*Preprocess*' --job short
var config = DefaultConfig.Instance
    .WithArtifactsPath(Path.Combine(Directory.GetCurrentDirectory(), "results", "benchmarks"))
    .AddExporter(CsvExporter.Default, JsonExporter.Full, MarkdownExporter.GitHub);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
