namespace ProbeBench.Core.Probes;

/// <summary>
/// The DINOv2 logistic-regression protocol: an L2 sweep over C, a stratified seeded validation split, the best C
/// by validation top-1, then a refit on the whole training split.
/// </summary>
/// <param name="CValues">scikit-learn C values to sweep; null means <see cref="LogisticRegressionProbe.Dinov2Grid"/>.</param>
/// <param name="ValidationFraction">Share of each class held out for choosing C.</param>
/// <param name="Standardize">Scale features to zero mean and unit variance (fitted on train). DINOv2 does not.</param>
/// <param name="MaxIterations">L-BFGS iteration cap per fit.</param>
/// <param name="Tolerance">L-BFGS relative tolerance.</param>
/// <param name="Parallelism">C values fitted at once; 0 means one per core. Each sweep fit runs on one thread.</param>
/// <param name="FitThreads">ML.NET threads for a single fit (Fit, and the sweep's final refit); 0 means one per core.
/// ML.NET then caches the rows once and sums the gradient over fixed chunks, so results depend on this count.</param>
/// <param name="WarmStartChains">The sweep's C values (ascending) are dealt round-robin to this many chains; in a chain each fit
/// starts from the solution at the chain's previous, smaller C; chains run in parallel (<see cref="Parallelism"/>). The default, 1,
/// starts every fit from its neighbouring C (on one core: 0.92x the wall time of the cold sweep, which uses every core, on 2
/// cores, results/cpu); more chains use more cores for more total work (2 chains: 0.54x on 2 cores); 0 fits every C from zero. Results depend on this number only within the optimizer's tolerance, never on the machine.</param>
public sealed record LogisticRegressionOptions(
    IReadOnlyList<double>? CValues = null,
    double ValidationFraction = 0.1,
    int Seed = 0,
    bool Standardize = false,
    int MaxIterations = 1000,
    double Tolerance = 1e-7,
    int Parallelism = 0,
    int FitThreads = 0,
    int WarmStartChains = 1);
