using Microsoft.ML;
using Microsoft.ML.Data;
using ProbeBench.Core.Kernel;

namespace ProbeBench.Core.Probes;

/// <summary>
/// An ML.NET <see cref="IDataView"/> that serves chosen rows of a <see cref="FeatureSet"/> in place: no copy of
/// the feature matrix is made, each cursor copies one row at a time into its own reused buffer (standardising it
/// on the fly when a scaler is given). Columns: "Features" (float vector of Dim) and "Label" (key type, 1-based
/// as ML.NET stores keys, so class c is served as c + 1).
/// </summary>
internal sealed class LogisticRegressionDataView : IDataView
{
    public const string FeaturesColumn = "Features";
    public const string LabelColumn = "Label";

    private readonly FeatureSet set;
    private readonly int[] rows;
    private readonly FeatureScaler? scaler;

    public LogisticRegressionDataView(FeatureSet set, int[] rows, FeatureScaler? scaler)
    {
        this.set = set;
        this.rows = rows;
        this.scaler = scaler;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(FeaturesColumn, new VectorDataViewType(NumberDataViewType.Single, set.Dim));
        builder.AddColumn(LabelColumn, new KeyDataViewType(typeof(uint), set.ClassCount));
        Schema = builder.ToSchema();
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => false;

    public long? GetRowCount() => rows.Length;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Select(c => c.Index).ToHashSet());

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(LogisticRegressionDataView view, HashSet<int> active) : DataViewRowCursor
    {
        private long position = -1;

        public override DataViewSchema Schema => view.Schema;
        public override long Position => position;
        public override long Batch => 0;

        public override bool MoveNext() => ++position < view.rows.Length;

        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId id) => id = new DataViewRowId((ulong)position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested from this cursor.");
            Delegate getter = column.Name switch
            {
                FeaturesColumn => (ValueGetter<VBuffer<float>>)GetFeatures,
                LabelColumn => (ValueGetter<uint>)GetLabel,
                _ => throw new InvalidOperationException($"Unknown column '{column.Name}'."),
            };
            return (ValueGetter<TValue>)getter;
        }

        private void GetFeatures(ref VBuffer<float> destination)
        {
            var row = view.set.Row(view.rows[position]);
            var editor = VBufferEditor.Create(ref destination, row.Length);
            if (view.scaler is null) row.CopyTo(editor.Values);
            else view.scaler.Apply(row, editor.Values);
            destination = editor.Commit();
        }

        private void GetLabel(ref uint label) => label = (uint)view.set.Labels[view.rows[position]] + 1;
    }
}
