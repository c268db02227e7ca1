using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace ProbeBench.Core.Results;

/// <summary>A comparison as a table, as Markdown for a CI step summary, as JSON for tools and as JUnit XML for CI dashboards.</summary>
public static class CompareReport
{
    public static string Outcome(Comparison c) => c.Regressed ? "REGRESSION" : "no regression";

    public static string Summary(Comparison c)
    {
        var counts = Enum.GetValues<Verdict>().Where(v => c.Count(v) > 0).Select(v => $"{c.Count(v)} {Word(v)}");
        return $"{c.Changes.Count} measurements compared ({string.Join(", ", counts)}); {Outcome(c)}";
    }

    public static string Word(Verdict v) => v switch
    {
        Verdict.NotMeasured => "not measured",
        _ => v.ToString().ToLowerInvariant(),
    };

    /// <summary>The rows worth a look first (what fails, then what is noisy or unmeasured, then the rest).</summary>
    public static TextTable Table(Comparison c, bool everything) => new("Compare",
        ["row", "metric", "baseline", "candidate", "change", "rule", "verdict"],
        Ordered(c).Where(ch => everything || ch.Verdict != Verdict.Ok || ch.Delta is not ("0.00 pp" or "0.0 %"))
            .Select(ch => (IReadOnlyList<string>)[ch.Row, ch.Metric, ResultsComparer.Number(ch.Baseline), ResultsComparer.Number(ch.Candidate), ch.Delta, ch.Rule,
                ch.Fails(c.Options) ? $"{Word(ch.Verdict).ToUpperInvariant()}" : Word(ch.Verdict)]).ToList(),
        [false, false, true, true, true, false, false]);

    public static string Markdown(Comparison c, string baseline, string candidate)
    {
        var md = new StringBuilder($"## ProbeBench compare: {(c.Regressed ? "❌ REGRESSION" : "✅ no regression")}\n\n");
        md.Append($"baseline `{baseline}` → candidate `{candidate}`\n\n{Summary(c)}\n\n");
        foreach (var w in c.Warnings) md.Append($"> ⚠ {w}\n");
        if (c.Warnings.Count > 0) md.Append('\n');
        md.Append(ResultTables.Markdown(Table(c, everything: true), headingLevel: 0));
        return md.ToString();
    }

    public static string Json(Comparison c, string baseline, string candidate) => JsonSerializer.Serialize(new
    {
        baseline, candidate, regressed = c.Regressed, summary = Summary(c), warnings = c.Warnings,
        changes = Ordered(c).Select(ch => new
        {
            row = ch.Row, metric = ch.Metric, baseline = ch.Baseline, candidate = ch.Candidate, change = ch.Delta, rule = ch.Rule,
            verdict = Word(ch.Verdict), fails = ch.Fails(c.Options),
        }),
    }, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>One test case per measurement; failing verdicts are failures, noisy and unmeasured ones are skipped with their reason.</summary>
    public static string JUnit(Comparison c, string baseline, string candidate)
    {
        var cases = Ordered(c).Select(ch =>
        {
            var test = new XElement("testcase", new XAttribute("classname", $"probebench.compare.{ch.Metric}"), new XAttribute("name", ch.Row));
            if (ch.Fails(c.Options))
                test.Add(new XElement("failure", new XAttribute("message", $"{Word(ch.Verdict)}: {ch.Delta} ({ch.Rule})"),
                    $"baseline {ResultsComparer.Number(ch.Baseline)}, candidate {ResultsComparer.Number(ch.Candidate)}"));
            else if (ch.Verdict is Verdict.Noisy or Verdict.NotMeasured or Verdict.New)
                test.Add(new XElement("skipped", new XAttribute("message", $"{Word(ch.Verdict)}: {ch.Rule}")));
            return test;
        }).ToList();
        var suite = new XElement("testsuite",
            new XAttribute("name", $"probebench compare {baseline} -> {candidate}"),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", cases.Count(t => t.Element("failure") is not null)),
            new XAttribute("skipped", cases.Count(t => t.Element("skipped") is not null)),
            new XElement("properties", c.Warnings.Select((w, i) => new XElement("property", new XAttribute("name", $"warning.{i + 1}"), new XAttribute("value", w)))),
            cases);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", suite)).ToString();
    }

    private static IEnumerable<Change> Ordered(Comparison c) =>
        c.Changes.OrderByDescending(ch => ch.Fails(c.Options)).ThenBy(ch => ch.Verdict switch
        {
            Verdict.Regressed or Verdict.Missing => 0, Verdict.Noisy => 1, Verdict.NotMeasured => 2, Verdict.Improved => 3, Verdict.New => 4, _ => 5,
        });
}
