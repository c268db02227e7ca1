namespace ProbeBench.Core.Extraction;

/// <summary>Receives the features of one layer choice, row by row in dataset order (the feature cache implements it).</summary>
public interface IFeatureWriter
{
    /// <summary>Rows already stored (a resumed entry); extraction starts no later than this row.</summary>
    int ResumeRow { get; }

    /// <summary>Appends <paramref name="labels"/>.Length rows of <paramref name="dim"/> features each, starting at <see cref="ResumeRow"/> plus rows appended so far.</summary>
    void Append(ReadOnlySpan<float> rows, ReadOnlySpan<int> labels, int dim);

    /// <summary>Marks the entry complete.</summary>
    void Complete();
}
