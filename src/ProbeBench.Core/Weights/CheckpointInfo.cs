namespace ProbeBench.Core.Weights;

/// <summary>Where a state dict came from: results record the digest so a run names the exact weights it used.</summary>
/// <param name="Path">The checkpoint file (for a Hugging Face folder: its <c>model.safetensors</c>).</param>
/// <param name="Format">How it was read.</param>
/// <param name="Sha256">Lower-case hex sha256 of <paramref name="Path"/>.</param>
/// <param name="SizeBytes">Size of <paramref name="Path"/> in bytes.</param>
/// <param name="ConfigPath">The transformers <c>config.json</c> beside a Hugging Face checkpoint, else null.</param>
public sealed record CheckpointInfo(string Path, CheckpointFormat Format, string Sha256, long SizeBytes, string? ConfigPath = null);
