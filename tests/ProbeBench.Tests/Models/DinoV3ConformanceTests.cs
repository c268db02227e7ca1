using ProbeBench.Core.Models.DinoV3;
using ProbeBench.Tests.TestSupport;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ProbeBench.Tests.Models;

/// <summary>Every tensor the official DINOv3 code produced for the fixture backbones (float64 reference), reproduced in TorchSharp.</summary>
public sealed class DinoV3ConformanceTests(ITestOutputHelper output)
{
    private const double Fp32Tolerance = 1e-4;

    // Half precision: within 8 units of the type's rounding (2^-8 for bf16, 2^-11 for fp16) of the largest reference
    // value, the bound the DINOv2 conformance uses; it is stated in the type's precision, not tuned to one CPU's kernels.
    private static double HalfTolerance(ScalarType dtype) => 8 * (dtype == bfloat16 ? Math.Pow(2, -8) : Math.Pow(2, -11));

    public static TheoryData<string> Variants => new(DinoV3Fixtures.Variants);

    [SharedTheory]
    [MemberData(nameof(Variants))]
    public void Fp32MatchesEveryOfficialOutput(string variant)
    {
        using var model = DinoV3Fixtures.Load(variant);
        AssertMatchesExpected(model, variant, Fp32Tolerance, "fp32");
    }

    public static TheoryData<string, string> VariantsAndHalfTypes
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var variant in DinoV3Fixtures.Variants)
                foreach (var dtype in new[] { "float16", "bfloat16" })
                    data.Add(variant, dtype);
            return data;
        }
    }

    [SharedTheory]
    [MemberData(nameof(VariantsAndHalfTypes))]
    public void HalfPrecisionStaysWithinEightUnitsOfItsRounding(string variant, string dtypeName)
    {
        var dtype = dtypeName == "float16" ? float16 : bfloat16;
        using var model = DinoV3Fixtures.Load(variant, dtype);
        Assert.Equal(dtype, model.DType);
        AssertMatchesExpected(model, variant, HalfTolerance(dtype), dtypeName, inputs: ["sq224", "rect112x160"]);
    }

    private void AssertMatchesExpected(DinoV3Backbone model, string variant, double tolerance, string label, string[]? inputs = null)
    {
        using var scope = NewDisposeScope();
        using var expected = DinoV3Fixtures.Expected(variant);
        var worst = (Name: "", Ratio: 0.0);
        var compared = 0;
        foreach (var input in inputs ?? DinoV3Fixtures.Inputs)
        {
            var ours = DinoV3OfficialOutputs.Compute(model, input, expected[$"{input}.input"]);
            foreach (var key in expected.Keys.Where(k => k.StartsWith(input + ".", StringComparison.Ordinal) && k != $"{input}.input"))
            {
                Assert.True(ours.ContainsKey(key), $"no output computed for {key}");
                var ratio = TensorComparison.RelativeMaxError(ours[key], expected[key]);
                Assert.True(ratio <= tolerance, $"{variant}/{label} {key}: max|ours-ref|/max|ref| = {ratio:E2} > {tolerance:E0}");
                if (ratio >= worst.Ratio) worst = (key, ratio);
                compared++;
            }
        }
        Assert.True(compared >= 30, $"only {compared} reference tensors were compared");
        output.WriteLine($"{variant} ({label}): {compared} tensors, worst max|ours-ref|/max|ref| = {worst.Ratio:E2} at {worst.Name}");
    }
}
