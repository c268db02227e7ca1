using ProbeBench.Core.Weights;

namespace ProbeBench.Core.Models;

/// <summary>A published backbone of a family: its name, hyper-parameters and the checkpoint its publisher serves.</summary>
public interface IBackboneVariant
{
    string Name { get; }

    IBackboneConfig Config { get; }

    OfficialCheckpoint Checkpoint { get; }
}
