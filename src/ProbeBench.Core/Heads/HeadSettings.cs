namespace ProbeBench.Core.Heads;

/// <summary>The plan settings heads read (each head reads the ones its <see cref="IProbeHead.PlanFields"/> name).</summary>
/// <param name="Seed">Seeds validation splits, initialisation, shuffles and the bootstrap.</param>
/// <param name="Device">cpu, cuda or cuda:N.</param>
/// <param name="BootstrapSamples">Resamples of the top-1 confidence interval.</param>
/// <param name="LogRegGrid">Logistic regression's C grid: dinov2, coarse or a comma list.</param>
/// <param name="KnnK">k-NN neighbour counts.</param>
public sealed record HeadSettings(
    int Seed = 0,
    string Device = "cpu",
    int BootstrapSamples = 1000,
    string LogRegGrid = "dinov2",
    IReadOnlyList<int>? KnnK = null)
{
    public IReadOnlyList<int> Ks => KnnK ?? [10, 20, 100, 200];
}
