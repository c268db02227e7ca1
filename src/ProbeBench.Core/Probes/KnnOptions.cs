namespace ProbeBench.Core.Probes;

/// <summary>
/// Settings of the DINOv2 k-NN classifier (<see cref="KnnClassifier"/>).
/// </summary>
public sealed record KnnOptions
{
    /// <summary>Neighbour counts evaluated from one search of the largest; each is clipped to the train size.</summary>
    public IReadOnlyList<int> Ks { get; init; } = [10, 20, 100, 200];

    /// <summary>Vote temperature: a neighbour with cosine similarity s votes exp(s / T).</summary>
    public double Temperature { get; init; } = 0.07;

    /// <summary>cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>
    /// Bound on the test-chunk × train similarity block, in elements (default 2^25: 128 MiB in float32,
    /// 256 MiB in float64). Test rows are processed in chunks of max(1, bound / train rows).
    /// </summary>
    public long MaxSimilarityElements { get; init; } = 1L << 25;

    /// <summary>Compute similarities and votes in float64 (the reference fixture's precision) instead of float32.</summary>
    public bool DoublePrecision { get; init; }

    /// <summary>
    /// How the neighbours are searched (see <see cref="KnnScreening"/>); every method gives the same neighbours.
    /// </summary>
    public KnnScreening Screening { get; init; } = KnnScreening.Auto;
}

/// <summary>How <see cref="KnnClassifier"/> finds each test row's nearest train rows.</summary>
public enum KnnScreening
{
    /// <summary><see cref="Bf16"/> on a CPU with native bf16 matrix products (fp32 features), else <see cref="Off"/>.</summary>
    Auto,

    /// <summary>One similarity matmul in the compute precision, then top-k (the plain search).</summary>
    Off,

    /// <summary>
    /// A bf16 similarity matmul screens the candidates with a proven error bound, then the candidates' similarities
    /// are recomputed exactly (float64 sums of the float32 features) and the neighbours chosen from those.
    /// </summary>
    Bf16,
}
