using ProbeBench.Cli;
using ProbeBench.Core;

namespace ProbeBench.Tests.Cli;

public class CliErrorsTests
{
    [Fact]
    public void An_error_thrown_inside_a_parallel_loop_is_still_one_line()
    {
        var error = new ProbeBenchException("The logistic regression learned 3 classes where the features declare 4.");
        var thrown = Assert.Throws<AggregateException>(() => Parallel.For(0, 4, i => { if (i == 2) throw error; }));

        Assert.Same(error, CliErrors.Cause(thrown));
        Assert.Same(error, CliErrors.Cause(new AggregateException(new AggregateException(error))));
        Assert.Same(error, CliErrors.Cause(error));
        Assert.Null(CliErrors.Cause(new AggregateException(new InvalidOperationException("a bug"))));
        Assert.Null(CliErrors.Cause(new InvalidOperationException("a bug")));
    }

    [Fact]
    public void A_file_system_error_no_stage_put_into_words_is_one_line_and_a_full_disk_says_so()
    {
        var denied = CliErrors.Cause(new UnauthorizedAccessException("Access to the path '/results/runs/a.partial' is denied."));
        Assert.Equal("Access to the path '/results/runs/a.partial' is denied.", denied!.Message);

        var full = CliErrors.Cause(new AggregateException(new IOException("No space left on device : '/out/a.partial/units/x.tmp'", 28)));
        Assert.Equal("No space left on device : '/out/a.partial/units/x.tmp': the disk is full; free space there (or write elsewhere) and run again.", full!.Message);
        Assert.Equal(2, full.ExitCode);

        var named = new ProbeBenchException("the stage's own sentence");
        Assert.Same(named, CliErrors.Cause(new AggregateException(new IOException("raw"), named)));
    }

    [Fact]
    public void Cancellation_is_told_apart_from_a_worker_error_that_came_with_it()
    {
        Assert.True(CliErrors.IsCancellation(new OperationCanceledException()));
        Assert.True(CliErrors.IsCancellation(new AggregateException(new TaskCanceledException(), new OperationCanceledException())));
        Assert.False(CliErrors.IsCancellation(new AggregateException(new OperationCanceledException(), new InvalidOperationException("a bug"))));
        var worker = new ProbeBenchException("a worker's own sentence");
        Assert.Same(worker, CliErrors.Cause(new AggregateException(new OperationCanceledException(), worker)));
    }
}
