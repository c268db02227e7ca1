using ProbeBench.Core.IO;
using Spectre.Console;

namespace ProbeBench.Cli;

/// <summary>Shows downloads as a Spectre.Console progress bar (size, speed, time left) while <c>work</c> runs.</summary>
internal static class DownloadProgressDisplay
{
    public static Task<T> RunAsync<T>(Func<IProgress<DownloadProgress>, Task<T>> work, IAnsiConsole? console = null)
    {
        var progress = (console ?? AnsiConsole.Console).Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn());
        return progress.StartAsync(context => work(new BarProgress(context)));
    }

    private sealed class BarProgress(ProgressContext context) : IProgress<DownloadProgress>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = [];

        public void Report(DownloadProgress value)
        {
            lock (_tasks)
            {
                if (!_tasks.TryGetValue(value.FileName, out var task))
                    _tasks[value.FileName] = task = context.AddTask(Markup.Escape(value.FileName), autoStart: true);
                task.IsIndeterminate = value.TotalBytes is null;
                task.MaxValue = Math.Max(1, value.TotalBytes ?? value.BytesReceived);
                task.Value = value.BytesReceived;
            }
        }
    }
}
