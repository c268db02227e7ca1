namespace ProbeBench.Core.Weights;

public enum CheckpointFormat
{
    /// <summary>A single <c>.safetensors</c> file, keys used as stored.</summary>
    Safetensors,

    /// <summary>The official <c>torch.save(state_dict)</c> zip (<c>.pth</c>).</summary>
    TorchZip,

    /// <summary>A transformers folder (<c>model.safetensors</c> + <c>config.json</c>), keys mapped to the official layout.</summary>
    HuggingFace,
}
