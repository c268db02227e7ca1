using ProbeBench.Core;
using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Heads;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Heads;

/// <summary>Heads are plug-ins: --heads help, plan validation and the README's list all come from the registry.</summary>
public sealed class HeadRegistryTests
{
    [Fact]
    public void Every_head_has_a_unique_lower_case_name_and_a_summary()
    {
        Assert.Equal(HeadRegistry.Names.Count, HeadRegistry.Names.Distinct().Count());
        Assert.All(HeadRegistry.All, h =>
        {
            Assert.Matches("^[a-z][a-z0-9-]*$", h.Name);
            Assert.False(string.IsNullOrWhiteSpace(h.Summary));
            Assert.All(h.PlanFields, f => Assert.Contains(f, RunPlanSchema.Names));
        });
        Assert.Contains("logreg", HeadRegistry.Names);
        Assert.Contains("knn", HeadRegistry.Names);
        Assert.Contains("linear", HeadRegistry.Names);
    }

    [Fact]
    public void Plan_validation_accepts_every_registered_head_and_lists_them_for_others()
    {
        foreach (var name in HeadRegistry.Names)
            RunPlanRules.Validate(new RunPlan { Heads = [name] });
        var e = Assert.Throws<ProbeBenchException>(() => RunPlanRules.Validate(new RunPlan { Heads = ["knn", "svm"] }));
        Assert.Equal($"plan.heads[1]: 'svm' is not one of {string.Join(", ", HeadRegistry.Names)}.", e.Message);
    }

    [Fact]
    public void Run_help_lists_every_registered_head()
    {
        var help = CliProcess.Run(["run", "--help"]);
        Assert.Equal(0, help.ExitCode);
        Assert.All(HeadRegistry.All, h => Assert.Contains(h.Name, help.StdOut));
    }

    [Fact]
    public void The_readme_heads_list_is_the_registry_s_own()
    {
        var readme = File.ReadAllText(Path.Combine(SharedFixtures.RepositoryRoot, "README.md"));
        const string begin = "<!-- heads: probebench heads --markdown -->\n", end = "<!-- /heads -->";
        var start = readme.IndexOf(begin, StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no generated heads list");
        var block = readme[(start + begin.Length)..readme.IndexOf(end, start, StringComparison.Ordinal)];
        Assert.Equal(HeadRegistry.Markdown(), block);
        var printed = CliProcess.Run(["heads", "--markdown"]);
        Assert.Equal(HeadRegistry.Markdown(), printed.StdOut);
    }
}
