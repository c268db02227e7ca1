using ProbeBench.Core.Models.DinoV3;
using static TorchSharp.torch;

namespace ProbeBench.Tests.Models;

/// <summary>Our DINOv3 outputs under the names <c>expected.safetensors</c> uses (see shared/fixtures/README.md).</summary>
internal static class DinoV3OfficialOutputs
{
    public static Dictionary<string, Tensor> Compute(DinoV3Backbone model, string input, Tensor images)
    {
        var outputs = new Dictionary<string, Tensor>();
        var depth = model.Config.Depth;
        var features = model.ForwardFeatures(images);
        outputs[$"{input}.x_norm_clstoken"] = features.ClsToken;
        outputs[$"{input}.x_storage_tokens"] = features.StorageTokens;
        outputs[$"{input}.x_norm_patchtokens"] = features.PatchTokens;
        outputs[$"{input}.x_prenorm"] = features.PreNorm;
        foreach (var (norm, name) in new[] { (true, "layers_norm"), (false, "layers_raw") })
            foreach (var layer in model.GetIntermediateLayers(images, Enumerable.Range(0, depth).ToArray(), norm: norm))
            {
                outputs[$"{input}.{name}.{layer.Block}.patch"] = layer.Patch;
                outputs[$"{input}.{name}.{layer.Block}.cls"] = layer.Cls;
                outputs[$"{input}.{name}.{layer.Block}.storage"] = layer.Storage;
            }
        foreach (var n in new[] { 1, Math.Min(4, depth) })
            foreach (var avgPool in new[] { false, true })
                outputs[$"{input}.linear_input.n{n}.avgpool{(avgPool ? 1 : 0)}"] = model.LinearInput(images, n, avgPool);
        outputs[$"{input}.last_reshaped"] = model.GetIntermediateLayers(images, 1, reshape: true)[0].Patch;
        return outputs;
    }
}
