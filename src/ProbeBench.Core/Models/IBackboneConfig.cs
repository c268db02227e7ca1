namespace ProbeBench.Core.Models;

/// <summary>What every backbone family's hyper-parameters say about a model, whatever else they hold.</summary>
public interface IBackboneConfig
{
    /// <summary>The name of the family that reads this config (<see cref="IBackboneFamily.Name"/>).</summary>
    string Family { get; }

    int EmbedDim { get; }

    int Depth { get; }

    int NumHeads { get; }

    int PatchSize { get; }

    /// <summary>Tokens before the patch tokens: the class token plus any register or storage tokens.</summary>
    int PrefixTokens { get; }

    /// <summary>The feed-forward layer as the official code names it (mlp, swiglufused, ...).</summary>
    string FfnKind { get; }

    /// <summary>Culture-invariant text naming every hyper-parameter; it is part of feature-cache keys.</summary>
    string Canonical();
}
