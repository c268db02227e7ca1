using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.Modules;

/// <summary>
/// A linear layer computed as <c>addmm(bias, x2d, Wᵀ)</c> on a 2-D view of the input. TorchSharp's
/// <c>nn.Linear</c> forwards to <c>F.linear</c>, which on 3-D inputs is about 3x slower than this.
/// </summary>
internal sealed class AffineLinear : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")] private Parameter _weight;
    [ComponentName(Name = "bias")] private Parameter _bias;

    public AffineLinear(string name, Parameter weight, Parameter bias) : base(name)
    {
        _weight = weight;
        _bias = bias;
        RegisterComponents();
    }

    /// <summary>Loads <c>{prefix}.weight</c> and <c>{prefix}.bias</c>.</summary>
    public static AffineLinear Load(string name, ParameterSource source, string prefix) =>
        new(name, source.Take(prefix + ".weight"), source.Take(prefix + ".bias"));

    /// <summary>
    /// Loads <c>{prefix}.weight/bias</c> with a following layer-scale folded in: γ⊙(xWᵀ+b) = x(diag(γ)W)ᵀ + γ⊙b.
    /// The product is formed in float32 (exact up to one rounding).
    /// </summary>
    public static AffineLinear LoadScaled(string name, ParameterSource source, string prefix, string gammaKey) =>
        new(name,
            source.Computed(() => source.Raw(gammaKey).to(float32).unsqueeze(1) * source.Raw(prefix + ".weight").to(float32)),
            source.Computed(() => source.Raw(gammaKey).to(float32) * source.Raw(prefix + ".bias").to(float32)));

    public long OutFeatures => _weight.shape[0];

    public override Tensor forward(Tensor x)
    {
        if (x.dim() == 2) return addmm(_bias, x, _weight.t(), 1, 1);
        var shape = x.shape;
        var x2d = x.reshape(-1, shape[^1]);
        var y = addmm(_bias, x2d, _weight.t(), 1, 1);
        shape[^1] = OutFeatures;
        return y.view(shape);
    }
}
