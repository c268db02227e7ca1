using ProbeBench.Core.IO;
using ProbeBench.Core.Runtime;
using static TorchSharp.torch;

namespace ProbeBench.Core.Weights;

/// <summary>
/// Reads a <c>.safetensors</c> file into a <see cref="StateDict"/> of CPU tensors. The header is validated
/// in full first (see <see cref="SafetensorsHeader"/>); each tensor is then allocated with its final
/// shape and dtype and filled straight from the file, so peak memory is one copy of the weights.
/// </summary>
public static class SafetensorsReader
{
    public static StateDict Read(string path) => Read(path, CheckpointFormat.Safetensors);

    internal static StateDict Read(string path, CheckpointFormat format, string? configPath = null)
    {
        TorchRuntime.EnsureInitialized();
        using var handle = SafetensorsHeader.OpenForReading(path);
        var header = SafetensorsHeader.Read(handle, path);
        // The digest is a second streamed pass over the file; it overlaps with filling the tensors.
        var hashing = Task.Run(() => FileHashing.Sha256(path));
        var tensors = new List<(string Name, Tensor Tensor)>(header.Entries.Count);
        try
        {
            foreach (var entry in header.Entries)
            {
                var tensor = empty(entry.Shape, entry.DType).DetachFromDisposeScope();
                tensors.Add((entry.Name, tensor));
                TensorFill.FromFile(tensor, handle, entry.FileOffset, path);
            }
            var info = new CheckpointInfo(path, format, hashing.GetAwaiter().GetResult(), RandomAccess.GetLength(handle), configPath);
            var state = new StateDict(info);
            foreach (var (name, tensor) in tensors) state.Add(name, tensor);
            return state;
        }
        catch
        {
            foreach (var (_, tensor) in tensors) tensor.Dispose();
            throw;
        }
    }
}
