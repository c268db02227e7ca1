using System.CommandLine;
using ProbeBench.Core;
using ProbeBench.Core.Evaluation.Sweeps;
using ProbeBench.Core.Evaluation.Sweeps.Kubernetes;
using ProbeBench.Core.Evaluation.Sweeps.Local;
using ProbeBench.Core.Evaluation.Sweeps.Slurm;
using ProbeBench.Core.IO;
using Spectre.Console;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench sweep submit DIR --backend slurm|local|k8s</c>.</summary>
internal static class SweepSubmitCommand
{
    public static Command Create()
    {
        var folder = SweepCommand.FolderArgument();
        var backend = new Option<string>("--backend") { Description = "slurm (sbatch arrays), local (worker processes here) or k8s (write an Indexed Job manifest).", Required = true };
        var probebench = new Option<string?>("--probebench") { Description = "How workers start probebench, e.g. \"/opt/pb/probebench\" (default: this same binary)." };
        var unitsPerTask = new Option<int?>("--units-per-task") { Description = "Units per array task or Job index (default: enough to stay within 1000 tasks)." };
        // slurm
        var partition = new Option<string?>("--partition") { Description = "slurm: partition." };
        var account = new Option<string?>("--account") { Description = "slurm: account to charge." };
        var gres = new Option<string?>("--gres") { Description = "slurm: generic resources per extraction task, e.g. gpu:1." };
        var headsGres = new Option<string?>("--heads-gres") { Description = "slurm: generic resources per head task (default none)." };
        var time = new Option<string?>("--time") { Description = "slurm: time limit per task (minutes, HH:MM:SS or D-HH:MM:SS; see sweep plan's estimates)." };
        var memory = new Option<string?>("--mem") { Description = "slurm: memory per task, e.g. 16G." };
        var cpus = new Option<int?>("--cpus-per-task") { Description = "slurm: CPUs per task." };
        var maxParallel = new Option<int?>("--max-parallel") { Description = "slurm: at most this many tasks of an array at once." };
        var sbatchArgs = new Option<string[]>("--sbatch-arg") { Description = "slurm: another #SBATCH option, verbatim (repeatable), e.g. --qos=long.", AllowMultipleArgumentsPerToken = false };
        var retry = new Option<bool>("--retry-failed") { Description = "slurm: resubmit the units that failed or never ran (after sweep status shows nothing queued)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "slurm: write the sbatch scripts under DIR/slurm without submitting." };
        // local
        var workers = new Option<int?>("--workers") { Description = "local: worker processes (default: one per --devices entry, else 1)." };
        var devices = new Option<string?>("--devices") { Description = "local: comma list of devices, one per worker, e.g. cuda:0,cuda:1 (default: the plan's)." };
        var threads = new Option<int?>("--threads-per-worker") { Description = "local: CPU threads per worker (OMP_NUM_THREADS); for several CPU workers." };
        // k8s
        var emit = new Option<string?>("--emit") { Description = "k8s: write the Indexed Job manifest to this file (it is validated, not applied)." };
        var image = new Option<string?>("--image") { Description = "k8s: container image with probebench." };
        var claim = new Option<string?>("--pvc") { Description = "k8s: PersistentVolumeClaim (ReadWriteMany) holding the sweep folder and cache." };
        var mount = new Option<string?>("--mount-path") { Description = "k8s: where the claim is mounted in pods; the sweep, cache and data must lie under it." };
        var parallelism = new Option<int?>("--parallelism") { Description = "k8s: pods at once (default min(8, indexes))." };
        var gpus = new Option<int>("--gpus") { Description = "k8s: nvidia.com/gpu per pod (default 0)." };
        var cpu = new Option<string?>("--cpu") { Description = "k8s: CPU request and limit per pod, e.g. 4." };
        var namespaceOption = new Option<string?>("--namespace") { Description = "k8s: namespace." };

        var command = new Command("submit", "Run a sweep's units: sbatch arrays (extraction, then heads after it), worker processes on this box, or an Indexed Job manifest.");
        command.Arguments.Add(folder);
        foreach (var o in new Option[] { backend, probebench, unitsPerTask, partition, account, gres, headsGres, time, memory, cpus, maxParallel, sbatchArgs, retry, dryRun,
                     workers, devices, threads, emit, image, claim, mount, parallelism, gpus, cpu, namespaceOption })
            command.Options.Add(o);
        command.SetAction(async (parse, cancellation) =>
        {
            var sweep = SweepFolder.Open(parse.GetValue(folder)!);
            var command = ProbeBenchInvocation.From(parse.GetValue(probebench));
            switch (parse.GetValue(backend)!.ToLowerInvariant())
            {
                case "slurm":
                    var outcome = SlurmBackend.Submit(sweep, new SlurmOptions
                    {
                        Command = command, Partition = parse.GetValue(partition), Account = parse.GetValue(account), Gres = parse.GetValue(gres),
                        HeadsGres = parse.GetValue(headsGres), Time = parse.GetValue(time), Memory = parse.GetValue(memory), CpusPerTask = parse.GetValue(cpus),
                        MaxParallel = parse.GetValue(maxParallel), UnitsPerTask = parse.GetValue(unitsPerTask), ExtraArguments = parse.GetValue(sbatchArgs) ?? [],
                        DryRun = parse.GetValue(dryRun),
                    }, parse.GetValue(retry));
                    foreach (var job in outcome.Cancelled) Console.WriteLine($"cancelled job {job} (its dependency can no longer be met)");
                    Console.WriteLine(outcome.Message);
                    foreach (var s in outcome.Submitted) Console.WriteLine($"  {s.Phase}: {s.Script}");
                    return 0;
                case "local":
                    var deviceList = parse.GetValue(devices) is { } d ? CommonOptions.SplitList(d) : [];
                    var local = await LocalBackend.RunAsync(sweep,
                        new LocalOptions(command, parse.GetValue(workers) ?? Math.Max(1, deviceList.Count), deviceList, parse.GetValue(threads)),
                        line => Console.WriteLine(line), cancellation);
                    var status = SweepStatus.Of(sweep);
                    Console.WriteLine(SweepStatusCommand.Counts(status));
                    return local.Succeeded && status.All(s => s.State == UnitState.Done) ? 0 : 1;
                case "k8s":
                    var target = parse.GetValue(emit) ?? throw new ProbeBenchException("--backend k8s needs --emit FILE (the manifest is written and validated, not applied).");
                    var options = new IndexedJobOptions
                    {
                        Image = parse.GetValue(image) ?? throw new ProbeBenchException("--backend k8s needs --image (a container image with probebench)."),
                        VolumeClaim = parse.GetValue(claim) ?? throw new ProbeBenchException("--backend k8s needs --pvc (the claim holding the sweep folder and cache)."),
                        MountPath = parse.GetValue(mount) ?? throw new ProbeBenchException("--backend k8s needs --mount-path (where pods mount the claim)."),
                        Namespace = parse.GetValue(namespaceOption), Parallelism = parse.GetValue(parallelism), UnitsPerTask = parse.GetValue(unitsPerTask),
                        Gpus = parse.GetValue(gpus), Cpu = parse.GetValue(cpu), Memory = parse.GetValue(memory),
                        Command = parse.GetValue(probebench) is { } p ? ProbeBenchInvocation.From(p) : ["probebench"],
                    };
                    // Claimed like every other output file: never a folder, a device or one of the sweep's own files; an
                    // earlier manifest is replaced, as --json replaces an earlier report.
                    var path = OutputFile.Claim(target, "--emit", sweep.Inputs());
                    OutputFile.WriteAllText(path, IndexedJobManifest.Emit(sweep, options), "--emit");
                    AnsiConsole.MarkupLine($"[green]wrote[/] {Markup.Escape(path)} (valid Indexed Job; apply it with kubectl apply -f)");
                    return 0;
                default:
                    throw new ProbeBenchException($"--backend: '{parse.GetValue(backend)}' is not one of slurm, local, k8s.");
            }
        });
        return command;
    }
}
