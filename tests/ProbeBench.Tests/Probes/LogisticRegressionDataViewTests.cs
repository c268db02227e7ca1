using Microsoft.ML.Data;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Probes;

namespace ProbeBench.Tests.Probes;

public class LogisticRegressionDataViewTests
{
    private static readonly FeatureSet Set = new([1f, 2f, 3f, 4f, 5f, 6f], 3, 2, [2, 0, 1], 3);

    [Fact]
    public void Serves_the_chosen_rows_with_one_based_key_labels()
    {
        var view = new LogisticRegressionDataView(Set, [2, 0], scaler: null);
        Assert.Equal(2, view.GetRowCount());
        Assert.Equal(3UL, ((KeyDataViewType)view.Schema[LogisticRegressionDataView.LabelColumn].Type).Count);

        var rows = Read(view);
        Assert.Equal([[5f, 6f], [1f, 2f]], rows.Select(r => r.Features));
        Assert.Equal([2u, 3u], rows.Select(r => r.Label));
    }

    [Fact]
    public void Reads_the_feature_set_in_place_rather_than_a_copy()
    {
        var set = Set with { Values = Set.Values.ToArray() };
        var view = new LogisticRegressionDataView(set, [0, 1, 2], scaler: null);
        set.Values[3] = 40f;
        Assert.Equal([3f, 40f], Read(view)[1].Features);
    }

    [Fact]
    public void Standardises_rows_on_the_fly_with_the_train_statistics()
    {
        var scaler = FeatureScaler.Fit(Set);
        var rows = Read(new LogisticRegressionDataView(Set, [0, 1, 2], scaler));
        var first = rows.Select(r => (double)r.Features[0]).ToArray();
        Assert.Equal(0, first.Average(), 5);
        Assert.Equal(1, Math.Sqrt(first.Select(v => v * v).Average()), 5);
        Assert.Equal(scaler.Apply(Set.Row(1)), rows[1].Features);
    }

    private static List<(float[] Features, uint Label)> Read(LogisticRegressionDataView view)
    {
        var rows = new List<(float[], uint)>();
        using var cursor = view.GetRowCursor(view.Schema);
        var features = cursor.GetGetter<VBuffer<float>>(view.Schema[LogisticRegressionDataView.FeaturesColumn]);
        var label = cursor.GetGetter<uint>(view.Schema[LogisticRegressionDataView.LabelColumn]);
        VBuffer<float> buffer = default;
        uint key = 0;
        while (cursor.MoveNext())
        {
            features(ref buffer);
            label(ref key);
            rows.Add((buffer.DenseValues().ToArray(), key));
        }
        return rows;
    }
}
