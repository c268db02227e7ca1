using System.Globalization;

namespace ProbeBench.Core.Extraction;

/// <summary>
/// Parses layer-choice text against a backbone depth:
/// <c>cls@last</c>, <c>cls@last4</c>, <c>cls+avgpool@last</c>, <c>cls+avgpool@last4</c> (the four DINOv2
/// linear-eval inputs), <c>cls@&lt;block&gt;</c>, <c>avgpool@&lt;block&gt;</c>, <c>every-block</c> (cls at every
/// block), <c>every-block-avgpool</c>, <c>patch@&lt;blocks&gt;</c> (<c>last</c>, <c>lastN</c> or a comma list),
/// <c>patch@lin1</c> and <c>patch@lin4</c> (DINOv2's dense probes: the last block, and <see cref="DenseBlocks.Lin4"/>),
/// and <c>every-block-patch</c> (the patch grid of every block: a dense metric vs block in one run).
/// Blocks are 0-based; negative indices count from the end.
/// </summary>
public static class LayerChoiceParser
{
    public const string Help =
        "cls@last, cls@last4, cls+avgpool@last, cls+avgpool@last4, cls@<block>, avgpool@<block>, every-block, every-block-avgpool, patch@<last|lastN|i,j,...>, patch@lin1, patch@lin4, every-block-patch";

    /// <summary>
    /// Parses every text and returns the distinct resolved choices in order (sweeps expanded); a choice
    /// reading the same blocks the same way as an earlier one is dropped (the earlier name is kept).
    /// </summary>
    public static IReadOnlyList<LayerChoice> ParseAll(IEnumerable<string> texts, int depth)
    {
        var result = new List<LayerChoice>();
        foreach (var text in texts)
            foreach (var choice in Parse(text, depth))
                if (!result.Any(c => c.Readout == choice.Readout && c.Blocks.SequenceEqual(choice.Blocks))) result.Add(choice);
        return result;
    }

    /// <summary>
    /// Why <paramref name="text"/> cannot be a layer choice of any backbone, or null (whether its blocks exist is known
    /// only with the backbone's depth).
    /// </summary>
    public static string? SyntaxProblem(string text)
    {
        try
        {
            Parse(text, SyntaxCheckDepth);
            return null;
        }
        catch (ProbeBenchException e)
        {
            return e.Message.TrimEnd('.');
        }
    }

    // Deep enough for any block index a real backbone has; "every-block" then expands cheaply.
    private const int SyntaxCheckDepth = 4096;

    public static IReadOnlyList<LayerChoice> Parse(string text, int depth)
    {
        if (depth <= 0) throw new ArgumentOutOfRangeException(nameof(depth));
        var t = text.Trim().ToLowerInvariant();
        switch (t)
        {
            case "every-block":
                return Enumerable.Range(0, depth).Select(b => Single(LayerReadout.Cls, "cls", b)).ToList();
            case "every-block-avgpool":
                return Enumerable.Range(0, depth).Select(b => Single(LayerReadout.Avgpool, "avgpool", b)).ToList();
            case "every-block-patch":
                return Enumerable.Range(0, depth).Select(b => Single(LayerReadout.Patch, "patch", b)).ToList();
            case "patch@lin1":
                return [new LayerChoice(t, LayerReadout.Patch, [depth - 1])];
            case "patch@lin4":
                return [new LayerChoice(t, LayerReadout.Patch, DenseBlocks.Lin4(depth))];
        }

        var at = t.IndexOf('@');
        if (at <= 0) throw Bad(text);
        var readout = t[..at];
        var where = t[(at + 1)..];
        var blocks = ParseBlocks(where, depth, text);
        return readout switch
        {
            "cls" when IsLastN(where) => [new LayerChoice(t, LayerReadout.Cls, blocks)],
            "cls" when blocks.Count == 1 => [Single(LayerReadout.Cls, "cls", blocks[0])],
            "cls+avgpool" when IsLastN(where) => [new LayerChoice(t, LayerReadout.ClsAvgpool, blocks)],
            "avgpool" when blocks.Count == 1 => [Single(LayerReadout.Avgpool, "avgpool", blocks[0])],
            "patch" => [new LayerChoice(IsLastN(where) ? t : $"patch@{string.Join(',', blocks)}", LayerReadout.Patch, blocks)],
            _ => throw Bad(text),
        };
    }

    private static LayerChoice Single(LayerReadout readout, string prefix, int block) =>
        new($"{prefix}@{block}", readout, [block]);

    private static bool IsLastN(string where) => where.StartsWith("last", StringComparison.Ordinal);

    private static IReadOnlyList<int> ParseBlocks(string where, int depth, string text)
    {
        if (where == "last") return [depth - 1];
        if (where.StartsWith("last", StringComparison.Ordinal))
        {
            if (!int.TryParse(where[4..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                throw Bad(text);
            if (n > depth)
                throw new ProbeBenchException($"Layer choice '{text}' asks for the last {n} blocks of a backbone with {depth}.");
            return Enumerable.Range(depth - n, n).ToList();
        }
        var blocks = new List<int>();
        foreach (var part in where.Split(','))
        {
            if (!int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var b)) throw Bad(text);
            var resolved = b < 0 ? depth + b : b;
            if (resolved < 0 || resolved >= depth)
                throw new ProbeBenchException($"Layer choice '{text}' names block {b}, but the backbone has blocks 0..{depth - 1}.");
            if (!blocks.Contains(resolved)) blocks.Add(resolved);
        }
        blocks.Sort();
        return blocks;
    }

    private static ProbeBenchException Bad(string text) =>
        new($"Layer choice '{text}' is not recognised; use one of {Help}.");
}
