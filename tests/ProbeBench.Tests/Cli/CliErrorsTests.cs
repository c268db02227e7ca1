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
}
