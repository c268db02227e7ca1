using ProbeBench.Core.Weights;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models;

/// <summary>
/// One kind of backbone (DINOv2, ...): everything ProbeBench needs to know about it lives behind this seam, so a new
/// family is one folder and one line in <see cref="BackboneFamilies"/>. A family owns its published variants (names,
/// short names, URLs), its checkpoint key layouts, architecture detection from state-dict shapes, its config files,
/// its cost model, seeded random weights and how a model is built.
/// </summary>
public interface IBackboneFamily
{
    /// <summary>Lower-case id, e.g. <c>dinov2</c> (<see cref="IBackboneConfig.Family"/>).</summary>
    string Name { get; }

    /// <summary>Display name, e.g. <c>DINOv2</c>.</summary>
    string Title { get; }

    IReadOnlyList<IBackboneVariant> Variants { get; }

    /// <summary>The short names it accepts besides the official ones, for help texts.</summary>
    string ShortNames { get; }

    /// <summary>The variant an official or short name stands for (case-insensitive), or null.</summary>
    IBackboneVariant? FindVariant(string name);

    ICheckpointKeyLayout KeyLayout { get; }

    /// <summary>The keys that mark this family's official state dicts, for the error when no family recognises a file.</summary>
    string KeySignature { get; }

    /// <summary>
    /// Reads a config file of this family (for DINOv2: a transformers config.json); null when the file describes another
    /// family's model; an error naming the file when it is this family's but malformed.
    /// </summary>
    IBackboneConfig? TryReadConfig(string path);

    /// <summary>
    /// The config of official-key <paramref name="shapes"/>: the matching published variant's, or one built from what the
    /// shapes reveal; an error naming <paramref name="source"/> and asking for a config file when they do not say enough.
    /// </summary>
    IBackboneConfig ConfigFromShapes(IReadOnlyDictionary<string, long[]> shapes, string source);

    /// <summary>What the shapes reveal, in one line, and the published variant they match (null when none).</summary>
    (string Description, IBackboneVariant? Variant) Describe(IReadOnlyDictionary<string, long[]> shapes, string source);

    /// <summary>Every official key with its shape for <paramref name="config"/> (strict loading checks against it).</summary>
    IReadOnlyDictionary<string, long[]> ExpectedShapes(IBackboneConfig config);

    /// <summary>Builds the model from official-key tensors, strictly, in <paramref name="dtype"/> on <paramref name="device"/>, in eval mode.</summary>
    IBackboneModel Build(IBackboneConfig config, IReadOnlyDictionary<string, Tensor> stateDict, string source, ScalarType? dtype = null, Device? device = null);

    /// <summary>A seeded random state dict in the official layout (the caller owns the tensors).</summary>
    Dictionary<string, Tensor> RandomWeights(IBackboneConfig config, long seed);

    long Parameters(IBackboneConfig config);

    /// <summary>Matrix-multiply FLOPs of one forward pass at <paramref name="height"/>×<paramref name="width"/>.</summary>
    double FlopsPerImage(IBackboneConfig config, int height, int width);

    /// <summary>The settings that change its outputs beyond the shapes, in words (for inspect), e.g. position interpolation.</summary>
    string Settings(IBackboneConfig config);

    /// <summary>Checks an input size; returns null when the model takes it, else why not.</summary>
    string? CheckInputSize(IBackboneConfig config, int height, int width);

    /// <summary>
    /// The preprocessing recipe (by name) this family's weights are evaluated with when a plan names none, for
    /// <paramref name="variant"/> (null: a custom checkpoint); null when the dataset decides (DINOv2: dinov2-eval, or
    /// resize-224 for small images).
    /// </summary>
    string? EvaluationRecipe(IBackboneVariant? variant);
}
