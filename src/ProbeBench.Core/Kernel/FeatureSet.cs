namespace ProbeBench.Core.Kernel;

/// <summary>
/// A labelled feature matrix: <see cref="Rows"/> × <see cref="Dim"/> float32 values, row-major,
/// and one 0-based label per row in [0, <see cref="ClassCount"/>).
/// </summary>
public sealed record FeatureSet(float[] Values, int Rows, int Dim, int[] Labels, int ClassCount)
{
    public ReadOnlySpan<float> Row(int row) => Values.AsSpan(row * Dim, Dim);

    /// <summary>A copy holding the given rows, in that order.</summary>
    public FeatureSet Subset(IReadOnlyList<int> rows)
    {
        var values = new float[(long)rows.Count * Dim];
        for (var i = 0; i < rows.Count; i++) Row(rows[i]).CopyTo(values.AsSpan(i * Dim, Dim));
        return new FeatureSet(values, rows.Count, Dim, rows.Select(r => Labels[r]).ToArray(), ClassCount);
    }

    /// <summary>Throws <see cref="ProbeBenchException"/> naming <paramref name="what"/> when the set is malformed.</summary>
    public void Validate(string what)
    {
        if (Rows <= 0) throw new ProbeBenchException($"{what} has zero rows.");
        if (Dim <= 0) throw new ProbeBenchException($"{what} has zero feature dimensions.");
        if (Values.Length != (long)Rows * Dim)
            throw new ProbeBenchException($"{what} holds {Values.Length} values, expected {Rows} rows × {Dim} dims.");
        if (Labels.Length != Rows)
            throw new ProbeBenchException($"{what} has {Labels.Length} labels for {Rows} rows.");
        for (var i = 0; i < Labels.Length; i++)
            if ((uint)Labels[i] >= (uint)ClassCount)
                throw new ProbeBenchException($"{what}: label {Labels[i]} at row {i} is outside [0, {ClassCount}).");
        for (var i = 0; i < Values.Length; i++)
            if (!float.IsFinite(Values[i]))
                throw new ProbeBenchException($"{what}: feature value at row {i / Dim}, dim {i % Dim} is {Values[i]} (NaN or infinite).");
    }
}
