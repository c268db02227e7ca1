using System.CommandLine;
using ProbeBench.Core.Heads;
using Spectre.Console;

namespace ProbeBench.Cli.Commands;

/// <summary><c>probebench heads</c>: the probe heads in the registry, what they read and which plan settings they use.</summary>
internal static class HeadsCommand
{
    public static Command Create()
    {
        var markdown = new Option<bool>("--markdown") { Description = "Print the list as Markdown (the README's heads section is this output)." };
        var command = new Command("heads", "List the probe heads: name, the features they read, how they train, their settings.");
        command.Options.Add(markdown);
        command.SetAction(parse =>
        {
            if (parse.GetValue(markdown))
            {
                Console.Out.Write(HeadRegistry.Markdown());
                return 0;
            }
            var table = new Table().AddColumns("head", "reads", "trains", "settings", "what it is");
            foreach (var head in HeadRegistry.All)
                table.AddRow(head.Name, head.Input == HeadInput.PooledVectors ? "pooled vectors" : "patch grids",
                    head.Scope == HeadScope.EachLayerChoice ? "per layer choice" : "across layer choices",
                    Markup.Escape(string.Join(", ", head.PlanFields)), Markup.Escape(head.Summary));
            ModelsCommand.WideConsole().Write(table);
            return 0;
        });
        return command;
    }
}
