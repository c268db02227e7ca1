using ProbeBench.Core.Models;
using ProbeBench.Core.Models.DinoV2;
using static TorchSharp.torch;

namespace ProbeBench.Tests.Models;

/// <summary>Our outputs under the names <c>expected.safetensors</c> uses (see shared/fixtures/README.md).</summary>
internal static class OfficialOutputs
{
    public static Dictionary<string, Tensor> Compute(DinoV2Backbone model, string input, Tensor images)
    {
        var outputs = new Dictionary<string, Tensor>();
        var depth = model.Config.Depth;
        var features = model.ForwardFeatures(images);
        outputs[$"{input}.x_norm_clstoken"] = features.ClsToken;
        outputs[$"{input}.x_norm_regtokens"] = features.RegisterTokens;
        outputs[$"{input}.x_norm_patchtokens"] = features.PatchTokens;
        outputs[$"{input}.x_prenorm"] = features.PreNorm;
        var normed = model.GetIntermediateLayers(images, depth, norm: true);
        foreach (var layer in normed)
        {
            outputs[$"{input}.layers_norm.{layer.Block}.patch"] = layer.Patch;
            outputs[$"{input}.layers_norm.{layer.Block}.cls"] = layer.Cls;
        }
        foreach (var layer in model.GetIntermediateLayers(images, Enumerable.Range(0, depth).ToArray(), norm: false))
        {
            outputs[$"{input}.layers_raw.{layer.Block}.patch"] = layer.Patch;
            outputs[$"{input}.layers_raw.{layer.Block}.cls"] = layer.Cls;
        }
        var wide = Math.Min(4, depth);
        foreach (var n in new[] { 1, wide })
            foreach (var avgPool in new[] { false, true })
                outputs[$"{input}.linear_input.n{n}.avgpool{(avgPool ? 1 : 0)}"] = LinearEvalInput.Build(normed.TakeLast(n).ToList(), avgPool);
        // One through the model's own entry point (its own pass), overwriting the derived one.
        outputs[$"{input}.linear_input.n{wide}.avgpool1"] = model.LinearInput(images, wide, avgPool: true);
        outputs[$"{input}.last_reshaped"] = model.GetIntermediateLayers(images, 1, reshape: true)[0].Patch;
        return outputs;
    }
}
