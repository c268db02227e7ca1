using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.Modules;

/// <summary>The official <c>patch_embed</c>: a stride-p convolution (<c>proj</c>) flattened to B×N×D tokens.</summary>
internal sealed class PatchEmbed : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "proj")] private readonly ConvProjection _proj;

    public PatchEmbed(string name, ParameterSource source, int patchSize) : base(name)
    {
        _proj = new ConvProjection("proj", source.Take("patch_embed.proj.weight"), source.Take("patch_embed.proj.bias"), patchSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor images)
    {
        var grid = _proj.forward(images); // B×D×h×w
        return grid.flatten(2).transpose(1, 2);
    }

    private sealed class ConvProjection : nn.Module<Tensor, Tensor>
    {
        [ComponentName(Name = "weight")] private Parameter _weight;
        [ComponentName(Name = "bias")] private Parameter _bias;
        private readonly long _patch;

        public ConvProjection(string name, Parameter weight, Parameter bias, int patch) : base(name)
        {
            _weight = weight;
            _bias = bias;
            _patch = patch;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) =>
            nn.functional.conv2d(x, _weight, _bias, strides: [_patch, _patch]);
    }
}
