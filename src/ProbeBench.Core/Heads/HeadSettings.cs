namespace ProbeBench.Core.Heads;

/// <summary>The plan settings heads read (each head reads the ones its <see cref="IProbeHead.PlanFields"/> name).</summary>
/// <param name="Seed">Seeds validation splits, initialisation, shuffles and the bootstrap.</param>
/// <param name="Device">cpu, cuda or cuda:N.</param>
/// <param name="BootstrapSamples">Resamples of the top-1 confidence interval.</param>
/// <param name="LogRegGrid">Logistic regression's C grid: dinov2, coarse or a comma list.</param>
/// <param name="KnnK">k-NN neighbour counts.</param>
/// <param name="DenseSteps">Training steps of the dense heads (depth, seg).</param>
/// <param name="DenseBatchSize">Images per training step of the dense heads.</param>
/// <param name="DenseLearningRate">The dense heads' AdamW learning rate (null: each head's default).</param>
/// <param name="DenseUpsample">The depth head's bilinear up-sampling of the patch grid (DINOv2: 4).</param>
/// <param name="SegClassToken">The segmentation head also reads the class token at every patch.</param>
public sealed record HeadSettings(
    int Seed = 0,
    string Device = "cpu",
    int BootstrapSamples = 1000,
    string LogRegGrid = "dinov2",
    IReadOnlyList<int>? KnnK = null,
    int DenseSteps = 2000,
    int DenseBatchSize = 8,
    double? DenseLearningRate = null,
    int DenseUpsample = 4,
    bool SegClassToken = false)
{
    public IReadOnlyList<int> Ks => KnnK ?? [10, 20, 100, 200];
}
