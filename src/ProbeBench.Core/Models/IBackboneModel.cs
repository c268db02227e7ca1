using static TorchSharp.torch;

namespace ProbeBench.Core.Models;

/// <summary>A built backbone in inference mode: extraction's view of it plus its config, dtype and device. Owns its weights.</summary>
public interface IBackboneModel : IFeatureBackbone, IDisposable
{
    IBackboneConfig Config { get; }

    ScalarType DType { get; }

    Device Device { get; }
}
