using ProbeBench.Core.Weights;
using TorchSharp;

namespace ProbeBench.Tests.TestSupport;

/// <summary>A fixture safetensors file as flat arrays: float tensors as float[], integer tensors as int[].</summary>
public sealed record FixtureArrays(IReadOnlyDictionary<string, float[]> Floats, IReadOnlyDictionary<string, int[]> Ints)
{
    public static FixtureArrays Read(string path)
    {
        using var state = SafetensorsReader.Read(path);
        var floats = new Dictionary<string, float[]>();
        var ints = new Dictionary<string, int[]>();
        foreach (var (name, tensor) in state)
        {
            if (tensor.dtype == torch.ScalarType.Int64)
                ints[name] = tensor.data<long>().ToArray().Select(v => checked((int)v)).ToArray();
            else
            {
                using var asFloat = tensor.to(torch.ScalarType.Float32);
                floats[name] = asFloat.data<float>().ToArray();
            }
        }
        return new FixtureArrays(floats, ints);
    }
}
