using System.Diagnostics;
using System.Text.Json;
using ProbeBench.Core.IO;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.IO;

/// <summary>The lock that workers sharing a cache or a sweep folder take: OS lock plus owner record, stale locks taken over.</summary>
public sealed class FileLockTests
{
    [Fact]
    public void A_held_lock_is_refused_naming_its_holder_and_free_again_once_released()
    {
        using var dir = new TempDirectory();
        var path = dir.File("locks", "entry.lock");
        using (var first = FileLock.TryAcquire(path, "writing entry", out var none))
        {
            Assert.NotNull(first);
            Assert.Null(none);
            Assert.Null(first.Recovered);
            Assert.Null(FileLock.TryAcquire(path, "second", out var holder));
            Assert.Equal((LockOwner.ThisHost, Environment.ProcessId, "writing entry"), (holder!.Host, holder.Pid, holder.Purpose));
            Assert.Contains($"pid {Environment.ProcessId} (writing entry", holder.ToString());
        }
        Assert.False(File.Exists(FileLock.OwnerPathOf(path)));
        using var again = FileLock.TryAcquire(path, "again", out _);
        Assert.NotNull(again);
        Assert.Null(again.Recovered);
    }

    [Fact]
    public void A_lock_left_by_a_dead_process_of_this_host_is_taken_over()
    {
        using var dir = new TempDirectory();
        var path = dir.File("entry.lock");
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        gone.WaitForExit();
        WriteRecord(path, LockOwner.ForThisProcess("killed worker") with { Pid = gone.Id });

        using var taken = FileLock.TryAcquire(path, "new worker", out _);
        Assert.NotNull(taken);
        Assert.Equal(("killed worker", gone.Id), (taken.Recovered!.Purpose, taken.Recovered.Pid));
        Assert.Equal("new worker", FileLock.HolderOf(path)!.Purpose);
    }

    [Fact]
    public void A_live_holder_keeps_its_lock_even_where_the_os_lock_is_not_enforced()
    {
        using var dir = new TempDirectory();
        var path = dir.File("entry.lock");
        // A live process's record without its OS lock, as a holder on a file system without flock leaves it: the record decides.
        using var live = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            WriteRecord(path, LockOwner.ForThisProcess("a live holder") with { Pid = live.Id, ProcessStart = ProcessIdentity.StartOf(live.Id)! });
            Assert.Null(FileLock.TryAcquire(path, "second", out var holder));
            Assert.Equal(("a live holder", live.Id), (holder!.Purpose, holder.Pid));
        }
        finally
        {
            live.Kill();
            live.WaitForExit();
        }
        // Once it is gone, its record is stale.
        using var taken = FileLock.TryAcquire(path, "after", out _);
        Assert.NotNull(taken);
    }

    [Fact]
    public void A_lock_this_process_dropped_without_releasing_is_not_held_against_it()
    {
        using var dir = new TempDirectory();
        var path = dir.File("entry.lock");
        WriteRecord(path, LockOwner.ForThisProcess("a writer nobody disposed"));
        using var taken = FileLock.TryAcquire(path, "next", out _);
        Assert.NotNull(taken);
        Assert.Equal("a writer nobody disposed", taken.Recovered!.Purpose);
    }

    [Fact]
    public void A_record_from_another_host_is_stale_only_once_its_heartbeat_stops()
    {
        using var dir = new TempDirectory();
        var path = dir.File("entry.lock");
        var elsewhere = LockOwner.ForThisProcess("worker on node7") with { Host = "node7-" + Guid.NewGuid().ToString("N")[..6] };
        WriteRecord(path, elsewhere);
        Assert.Null(FileLock.TryAcquire(path, "here", out var holder));
        Assert.Equal(elsewhere.Host, holder!.Host);

        WriteRecord(path, elsewhere with { HeartbeatUtc = DateTimeOffset.UtcNow - FileLock.StaleAfter - TimeSpan.FromSeconds(5) });
        using var taken = FileLock.TryAcquire(path, "here", out _);
        Assert.NotNull(taken);
        Assert.Equal(elsewhere.Host, taken.Recovered!.Host);
    }

    [Fact]
    public void An_unreadable_owner_record_is_taken_over()
    {
        using var dir = new TempDirectory();
        var path = dir.File("entry.lock");
        File.WriteAllText(FileLock.OwnerPathOf(path), "{ not json");
        using var taken = FileLock.TryAcquire(path, "here", out _);
        Assert.NotNull(taken);
        Assert.NotNull(taken.Recovered);
    }

    [Fact]
    public async Task A_waiter_gets_the_lock_when_the_holder_releases_it()
    {
        using var dir = new TempDirectory();
        var path = dir.File("entry.lock");
        var first = FileLock.TryAcquire(path, "first", out _)!;
        var heard = new List<LockOwner?>();
        var waiter = FileLock.AcquireAsync(path, "waiter", heard.Add);
        await Task.Delay(300);
        Assert.False(waiter.IsCompleted);
        first.Dispose();
        using var second = await waiter.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("first", Assert.Single(heard)!.Purpose);
        Assert.Null(second.Recovered);
    }

    private static void WriteRecord(string path, LockOwner owner)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(FileLock.OwnerPathOf(path), JsonSerializer.Serialize(owner));
    }
}
