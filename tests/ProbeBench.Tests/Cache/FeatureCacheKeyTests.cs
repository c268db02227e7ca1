using System.Globalization;
using ProbeBench.Core.Cache;
using ProbeBench.Core.Data;
using ProbeBench.Core.Evaluation;
using ProbeBench.Core.Extraction;
using ProbeBench.Core.Models;
using ProbeBench.Core.Preprocessing;
using ProbeBench.Tests.TestSupport;
using ProbeBench.Tests.Weights;

namespace ProbeBench.Tests.Cache;

/// <summary>Issue 9, item 10: every part of a feature-cache key is culture-invariant, and the key names the device kind.</summary>
public class FeatureCacheKeyTests
{
    [CultureFact("de-DE")]
    public void The_whole_key_is_the_same_under_a_culture_with_a_decimal_comma()
    {
        using var dir = new TempDirectory();
        var folder = SyntheticCifarWriter.Write(dir.File("data"), CifarLayout.Cifar10, trainPerFile: 2, testCount: 4, seed: 1);
        // The parts that hold fractions: eps 1e-6 and offset 0.1 (architecture), mean and std (recipe).
        using var backbone = new LoadedBackbone("tiny", BackboneFamilies.BuildRandom(HostileCheckpoints.Tiny, seed: 0), "random-seed0", null, "fp32");

        FeatureCacheKeyParts PartsUnder(string culture)
        {
            var saved = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
            try
            {
                CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
                var dataset = CifarDataset.Open(CifarLayout.Cifar10, folder, "test");
                var recipe = new TensorPreprocessor(PreprocessRecipes.Parse("custom:size=28,crop=24,bilinear,mean=0.5/0.25/0.125,std=0.2/0.3/0.4"));
                var choice = LayerChoiceParser.ParseAll(["cls+avgpool@last"], backbone.Config.Depth).Single();
                return FeatureExtractionJob.KeyParts(backbone, recipe, dataset, [0], choice, "fp16", "cpu");
            }
            finally
            {
                (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = saved;
            }
        }

        var invariant = PartsUnder("");
        var german = PartsUnder("de-DE");
        Assert.Equal(invariant, german);
        Assert.Equal(invariant.Key(), german.Key());
        Assert.Contains("LayerNormEps = 1E-06", invariant.Architecture);
        Assert.Contains("mean=0.5,0.25,0.125", invariant.Recipe);
    }

    [Fact]
    public void The_key_separates_cpu_from_cuda_but_not_one_cuda_device_from_another()
    {
        var parts = new FeatureCacheKeyParts("sha", "arch", "recipe", "fp", "train", "all", "cls@last", "fp16", "fp16", FeatureCacheKeyParts.DeviceKind("cpu"));
        var cuda0 = parts with { Device = FeatureCacheKeyParts.DeviceKind("cuda:0") };
        Assert.NotEqual(parts.Key(), cuda0.Key());
        Assert.Equal(cuda0.Key(), (parts with { Device = FeatureCacheKeyParts.DeviceKind("CUDA") }).Key());
        Assert.Equal(cuda0.Key(), (parts with { Device = FeatureCacheKeyParts.DeviceKind("cuda:1") }).Key());
        Assert.Equal("cpu", FeatureCacheKeyParts.DeviceKind(" CPU "));
    }
}

/// <summary>A fact that needs a culture whose number formatting differs from the invariant one (absent in globalization-invariant mode).</summary>
public sealed class CultureFactAttribute : FactAttribute
{
    public CultureFactAttribute(string culture)
    {
        try
        {
            if (CultureInfo.GetCultureInfo(culture).NumberFormat.NumberDecimalSeparator == ".")
                Skip = $"{culture} formats numbers like the invariant culture here (globalization-invariant mode), so the test could not fail";
        }
        catch (CultureNotFoundException)
        {
            Skip = $"the culture {culture} is not available here (globalization-invariant mode)";
        }
    }
}
