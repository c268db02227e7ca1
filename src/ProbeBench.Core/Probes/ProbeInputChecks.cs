using ProbeBench.Core.Kernel;
namespace ProbeBench.Core.Probes;

/// <summary>The checks every classification head makes on its train / evaluation feature sets.</summary>
internal static class ProbeInputChecks
{
    /// <summary>Validates <paramref name="train"/> and requires at least two distinct classes in it.</summary>
    public static void Train(FeatureSet train, string what)
    {
        train.Validate(what);
        var first = train.Labels[0];
        foreach (var label in train.Labels)
            if (label != first) return;
        throw new ProbeBenchException($"{what} holds only one class (label {first}); a classifier needs at least two.");
    }

    /// <summary>Validates <paramref name="other"/> and requires it to match <paramref name="train"/>'s dimension and class count.</summary>
    public static void Compatible(FeatureSet train, string trainWhat, FeatureSet other, string otherWhat)
    {
        other.Validate(otherWhat);
        if (other.Dim != train.Dim)
            throw new ProbeBenchException($"{otherWhat} has {other.Dim} feature dimensions but {trainWhat} has {train.Dim}.");
        if (other.ClassCount != train.ClassCount)
            throw new ProbeBenchException($"{otherWhat} declares {other.ClassCount} classes but {trainWhat} declares {train.ClassCount}.");
    }
}
