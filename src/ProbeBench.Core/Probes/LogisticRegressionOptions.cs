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
/// <param name="Parallelism">Chains fitted at once (with <see cref="WarmStartChains"/> = 0: C values); 0 means one per core. Each sweep fit runs on one thread.</param>
/// <param name="FitThreads">ML.NET threads for a single fit (Fit, FitPath, and the sweep's final refit): ML.NET then caches the rows
/// once, cuts them into this many chunks and sums their gradients in chunk order, so results depend on this number (never on
/// the machine: the chunks run on as many cores as there are). 0 means one per core, which ties results to the machine.</param>
/// <param name="WarmStartChains">The sweep's C values (ascending) are dealt round-robin to this many chains; in a chain each fit
/// starts from the solution at the chain's previous, smaller C (the final refit starts from zero, as scikit-learn's does). Chains
/// run in parallel (up to <see cref="Parallelism"/>), so the default, 2, keeps two cores busy; on one core they run one after
/// the other with the same results. 0 fits every C from zero (the sweep before warm starts). Results depend on
/// this number only within the optimizer's tolerance, never on the machine (results/cpu has the measured times).</param>
/// <param name="EarlyRefit">The first worker out of chains refits at the best C so far while the others finish, and that refit is
/// the result when its C stands; a refit depends on C alone, so this changes the time, never the result. False refits only
/// after the whole sweep (the sweep before warm starts).</param>
/// <param name="ExtrapolateStarts">A chain's fit starts half way along the line through its last two solutions (in log C) towards
/// its C (<see cref="LogisticRegressionPathStart"/>); false starts it from the last solution (the first warm starts). Changes the
/// time and, within the optimizer's tolerance, where a fit stops, never the optimum.</param>
public sealed record LogisticRegressionOptions(
    IReadOnlyList<double>? CValues = null,
    double ValidationFraction = 0.1,
    int Seed = 0,
    bool Standardize = false,
    int MaxIterations = 1000,
    double Tolerance = 1e-7,
    int Parallelism = 0,
    int FitThreads = 4,
    int WarmStartChains = 2,
    bool EarlyRefit = true,
    bool ExtrapolateStarts = true);
