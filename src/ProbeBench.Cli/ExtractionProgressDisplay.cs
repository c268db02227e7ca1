using ProbeBench.Core.Extraction;
using Spectre.Console;

namespace ProbeBench.Cli;

/// <summary>A Spectre.Console progress bar for an extraction: images done, img/s, ETA.</summary>
internal static class ExtractionProgressDisplay
{
    public static T Run<T>(string title, Func<IProgress<ExtractionProgress>, T> work)
    {
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(title), maxValue: 1);
                result = work(new Progress(task, title));
                task.Value = task.MaxValue;
            });
        return result;
    }

    private sealed class Progress(ProgressTask task, string title) : IProgress<ExtractionProgress>
    {
        public void Report(ExtractionProgress value)
        {
            task.MaxValue = Math.Max(1, value.Total);
            task.Value = value.Done;
            task.Description = Markup.Escape($"{title}  {value.Done}/{value.Total}  {value.ImagesPerSecond:N1} img/s");
        }
    }
}
