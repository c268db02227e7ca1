using ProbeBench.Core.Runtime;
using static TorchSharp.torch;

namespace ProbeBench.Core.Probes;

/// <summary>
/// How far a screened similarity can be from the exact one, per test row, and the screen threshold that follows.
/// </summary>
/// <remarks>
/// Let a (test) and b (train) be the float32 unit rows, a' and b' their bf16 roundings, e = a − a' (exact in
/// float32). Then a·b = a'·b' + a'·e_b + e_a·b exactly, so |a·b − a'·b'| ≤ ‖a'‖‖e_b‖ + ‖e_a‖‖b‖ (Cauchy–Schwarz,
/// with the measured residual norms). The matmul sums the exact bf16 products in float32, which adds at most
/// γ_n‖a'‖‖b'‖ (γ_n = n·2⁻²⁴ / (1 − n·2⁻²⁴), any summation order), and rounds the sum t to bf16, which adds at
/// most u|t| ≤ u/(1 − u)·|ŝ| (u = 2⁻⁸). So |ŝ − a·b| ≤ C_row + u'·|ŝ| with C_row from the norms (maxima over the
/// train rows) and u' = u / (1 − u); C_row gets a relative 10⁻³ and an absolute 10⁻⁶ of slack for the float32
/// norms and flushed denormals.
/// <para>
/// Screening: if v is the k-th largest screened value of a row, k rows have ŝ ≥ v, so the k-th largest exact
/// similarity is at least L = v − C − u'|v| (the bound's lower side is increasing in ŝ). Any row whose exact
/// similarity reaches L has ŝ + C + u'|ŝ| ≥ L. Those rows, the candidates, hold every true top-k neighbour, ties
/// included, and their exact similarities decide.
/// </para>
/// </remarks>
internal sealed class KnnClassifierScreenBound
{
    private const double UnitRoundoff = 1.0 / 256;
    private const double OutputFactor = UnitRoundoff / (1 - UnitRoundoff);

    private readonly double[] rowConstant;

    private KnnClassifierScreenBound(double[] rowConstant) => this.rowConstant = rowConstant;

    /// <summary>Measures the bound's norms on the float32 unit rows and their bf16 roundings (CPU tensors).</summary>
    public static KnnClassifierScreenBound Measure(Tensor trainUnit, Tensor trainBf16, Tensor testUnit, Tensor testBf16)
    {
        using var scope = NewDisposeScope();
        var dim = trainUnit.shape[1];
        var gamma = dim * Math.Pow(2, -24) / (1 - dim * Math.Pow(2, -24));
        var trainRounded = trainBf16.to(ScalarType.Float32);
        double maxTrainResidual = (trainUnit - trainRounded).norm(1, false, 2).max().item<float>();
        double maxTrainNorm = trainUnit.norm(1, false, 2).max().item<float>();
        double maxTrainRoundedNorm = trainRounded.norm(1, false, 2).max().item<float>();

        var testRounded = testBf16.to(ScalarType.Float32);
        var testResidual = TensorCopy.ToArray<float>((testUnit - testRounded).norm(1, false, 2));
        var testRoundedNorm = TensorCopy.ToArray<float>(testRounded.norm(1, false, 2));
        var constants = new double[testResidual.Length];
        for (var i = 0; i < constants.Length; i++)
        {
            var c = testRoundedNorm[i] * maxTrainResidual + testResidual[i] * maxTrainNorm + gamma * testRoundedNorm[i] * maxTrainRoundedNorm;
            constants[i] = c * (1 + 1e-3) + 1e-6;
        }
        return new KnnClassifierScreenBound(constants);
    }

    /// <summary>The largest possible |screened − exact| for a screened value <paramref name="screened"/> of test row <paramref name="row"/>.</summary>
    public double Slack(int row, float screened) => rowConstant[row] + OutputFactor * Math.Abs(screened);

    /// <summary>
    /// The lowest screened value a candidate of test row <paramref name="row"/> may have, given the k-th largest
    /// screened value <paramref name="kth"/> (rounded down to a float, so the comparison never drops a candidate).
    /// </summary>
    public float CandidateThreshold(int row, float kth)
    {
        var c = rowConstant[row];
        var lowerBoundOfKth = kth - c - OutputFactor * Math.Abs(kth);
        var reach = lowerBoundOfKth - c; // a candidate needs ŝ + u'|ŝ| ≥ reach
        var threshold = reach >= 0 ? reach / (1 + OutputFactor) : reach / (1 - OutputFactor);
        return MathF.BitDecrement((float)threshold);
    }
}
