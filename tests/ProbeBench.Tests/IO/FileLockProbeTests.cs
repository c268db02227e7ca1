using System.Diagnostics;
using ProbeBench.Core.IO;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.IO;

/// <summary>
/// <see cref="FileLock.IsHeld"/> (sweep status, a worker asking whether a dependency runs) never makes a real acquirer fail,
/// never creates or takes over anything, and answers for holders in this process and in others.
/// </summary>
public sealed class FileLockProbeTests
{
    [Fact]
    public async Task A_thread_hammering_IsHeld_never_makes_a_free_lock_look_taken_to_an_acquirer()
    {
        using var dir = new TempDirectory();
        var path = dir.File("locks", "unit.lock");
        using (FileLock.TryAcquire(path, "made the file", out _)) { }
        using var stop = new CancellationTokenSource();
        using var probing = new ManualResetEventSlim();
        var probes = 0;
        var prober = Task.Factory.StartNew(() =>
        {
            probing.Set();
            while (!stop.IsCancellationRequested)
            {
                FileLock.IsHeld(path, out _);
                probes++;
            }
        }, TaskCreationOptions.LongRunning);
        try
        {
            Assert.True(probing.Wait(TimeSpan.FromSeconds(30)));
            for (var i = 0; i < 300; i++)
            {
                using var taken = FileLock.TryAcquire(path, $"worker {i}", out var holder);
                Assert.True(taken is not null, $"acquisition {i} was refused while only IsHeld probed (holder: {holder?.ToString() ?? "none recorded"})");
            }
            // Waiting acquisitions too, each within a deadline.
            for (var i = 0; i < 20; i++)
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                using var taken = await FileLock.AcquireAsync(path, $"waiter {i}", cancellation: cancel.Token);
            }
        }
        finally
        {
            stop.Cancel();
            await prober;
        }
        Assert.True(probes > 0);
        Assert.False(FileLock.IsHeld(path, out var after));
        Assert.Null(after);
    }

    [Fact]
    public void IsHeld_sees_a_holder_of_this_process_without_disturbing_it()
    {
        using var dir = new TempDirectory();
        var path = dir.File("unit.lock");
        Assert.False(FileLock.IsHeld(path, out var none));
        Assert.Null(none);
        Assert.False(File.Exists(path), "a probe creates nothing");

        using var held = FileLock.TryAcquire(path, "running a unit", out _)!;
        for (var i = 0; i < 200; i++)
        {
            Assert.True(FileLock.IsHeld(path, out var holder));
            Assert.Equal(held.Owner.Token, holder!.Token);
        }
        // Still held, and by the same acquisition: no probe took it over or released it.
        Assert.Null(FileLock.TryAcquire(path, "another", out var other));
        Assert.Equal(held.Owner.Token, other!.Token);
        Assert.Equal(held.Owner.Token, FileLock.HolderOf(path)!.Token);
    }

    [Fact]
    public void IsHeld_sees_a_holder_in_another_process_and_a_dead_holders_record_stays_for_the_next_acquirer()
    {
        using var dir = new TempDirectory();
        var path = dir.File("unit.lock");
        File.WriteAllText(path, "");
        // flock(1) holds an OS lock on the file from another process while its child sleeps.
        using var other = Process.Start(new ProcessStartInfo("flock", ["-x", path, "sleep", "60"]) { UseShellExecute = false })!;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!FileLock.IsHeld(path, out _) && DateTime.UtcNow < deadline) Thread.Sleep(20);
            Assert.True(FileLock.IsHeld(path, out _));
            Assert.Null(FileLock.TryAcquire(path, "here", out _));
        }
        finally
        {
            other.Kill(entireProcessTree: true);
            other.WaitForExit();
        }
        // Released once the processes are gone (the child may outlive its parent by a moment).
        var released = DateTime.UtcNow.AddSeconds(30);
        while (FileLock.IsHeld(path, out _) && DateTime.UtcNow < released) Thread.Sleep(20);
        Assert.False(FileLock.IsHeld(path, out _));

        // A record left by a dead holder is reported by the next real acquisition, not consumed by a probe.
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        gone.WaitForExit();
        File.WriteAllText(FileLock.OwnerPathOf(path), System.Text.Json.JsonSerializer.Serialize(LockOwner.ForThisProcess("killed worker") with { Pid = gone.Id }));
        Assert.False(FileLock.IsHeld(path, out var stale));
        Assert.Equal(gone.Id, stale!.Pid);
        using var taken = FileLock.TryAcquire(path, "next", out _);
        Assert.Equal(gone.Id, taken!.Recovered!.Pid);
    }
}
