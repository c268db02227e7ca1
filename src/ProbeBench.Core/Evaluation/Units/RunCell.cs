using ProbeBench.Core.Extraction;
using ProbeBench.Core.Models;

namespace ProbeBench.Core.Evaluation.Units;

/// <summary>One model × dataset of a plan, with what expansion resolved for it: the architecture, the layer choices, the recipe.</summary>
public sealed record RunCell(int Index, ModelSpec Model, DatasetSpec Dataset, IBackboneConfig Architecture, IReadOnlyList<LayerChoice> Choices, string Recipe);
