using ProbeBench.Core.Kernel;
using ProbeBench.Core.Probes;
using ProbeBench.Tests.TestSupport;

namespace ProbeBench.Tests.Probes;

/// <summary>The shared heads_small fixture (10 classes, 64-d, 2000 train / 500 test) as feature sets.</summary>
internal static class HeadsSmallFixture
{
    private static readonly Lazy<FixtureArrays> Arrays =
        new(() => FixtureArrays.Read(SharedFixtures.Path("fixtures", "heads", "heads_small.safetensors")));

    public const int Classes = 10;
    public const int Dim = 64;

    public static FeatureSet Train => Set("train");
    public static FeatureSet Test => Set("test");

    public static int[] KnnPredictions(int k) => Arrays.Value.Ints[$"knn_pred_k{k}"];

    private static FeatureSet Set(string split)
    {
        var labels = Arrays.Value.Ints[$"{split}_labels"];
        return new FeatureSet(Arrays.Value.Floats[$"{split}_features"], labels.Length, Dim, labels, Classes);
    }
}
