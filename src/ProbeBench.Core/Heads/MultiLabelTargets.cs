namespace ProbeBench.Core.Heads;

/// <summary>
/// The class targets of a multi-label split, row by row in feature order: 1 present, -1 absent, 0 difficult (left out
/// of that class's training and scoring, as the VOC devkit does).
/// </summary>
public sealed record MultiLabelTargets(sbyte[][] Rows, int ClassCount)
{
    public sbyte this[int row, int cls] => Rows[row][cls];

    /// <summary>One row as text: '+' present, '-' absent, '0' difficult.</summary>
    public static string Format(sbyte[] row) => new(row.Select(v => v switch { 1 => '+', -1 => '-', _ => '0' }).ToArray());

    /// <summary>Reads the rows a unit record kept; null when it kept none (single-label data).</summary>
    public static MultiLabelTargets? Parse(IReadOnlyList<string>? rows, string unitId)
    {
        if (rows is null) return null;
        if (rows.Count == 0) throw new ProbeBenchException($"Unit {unitId} recorded multi-label targets for no rows.");
        var classes = rows[0].Length;
        var parsed = new sbyte[rows.Count][];
        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r].Length != classes) throw new ProbeBenchException($"Unit {unitId}: multi-label row {r} has {rows[r].Length} classes, row 0 has {classes}.");
            parsed[r] = rows[r].Select(c => c switch
            {
                '+' => (sbyte)1,
                '-' => (sbyte)-1,
                '0' => (sbyte)0,
                _ => throw new ProbeBenchException($"Unit {unitId}: multi-label row {r} holds '{c}'."),
            }).ToArray();
        }
        return new MultiLabelTargets(parsed, classes);
    }
}
