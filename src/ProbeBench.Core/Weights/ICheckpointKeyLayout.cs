namespace ProbeBench.Core.Weights;

/// <summary>
/// A backbone family's key layouts: which state dicts it recognises, and how a foreign layout (transformers, say)
/// is renamed to the family's official keys. <see cref="CheckpointLoader"/> asks each layout it is given.
/// </summary>
public interface ICheckpointKeyLayout
{
    /// <summary>True when the keys are in one of this family's layouts (official or foreign).</summary>
    bool Recognizes(IReadOnlyCollection<string> keys);

    /// <summary>True when the keys are already in the official layout (nothing to rename).</summary>
    bool IsOfficial(IReadOnlyCollection<string> keys);

    /// <summary>
    /// The state dict with official keys: <paramref name="state"/> itself when it already has them, else a new state dict
    /// that took every tensor (<paramref name="state"/> is left empty).
    /// </summary>
    StateDict ToOfficial(StateDict state);
}
