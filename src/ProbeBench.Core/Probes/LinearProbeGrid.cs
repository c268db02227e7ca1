using System.Diagnostics;
using ProbeBench.Core.Data;
using ProbeBench.Core.Kernel;
using ProbeBench.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeBench.Core.Probes;

/// <summary>
/// The DINOv2 linear-evaluation protocol on cached features: one linear classifier per (feature choice,
/// learning rate), all trained at once with SGD (momentum, no dampening), a cosine learning-rate schedule
/// over all iterations (to 0), weights drawn from N(0, 0.01²), zero bias, mean cross-entropy per classifier;
/// the best on the validation split wins.
/// </summary>
/// <remarks>
/// Each feature choice keeps its classifiers for all L learning rates stacked as one (L·C) × D matrix, so a
/// batch costs one addmm forward and one mm backward per feature choice for every classifier; gradients are
/// computed in closed form (softmax − one-hot), no autograd. Shuffles come from the seed; on CPU the result
/// is bit-identical run to run.
/// </remarks>
public static class LinearProbeGrid
{
    /// <param name="progress">After each SGD step: steps done, steps in all.</param>
    /// <param name="cancellation">Checked before every step.</param>
    public static LinearProbeGridResult Fit(
        IReadOnlyList<LinearProbeFeatures> train, IReadOnlyList<LinearProbeFeatures> validation, LinearProbeGridOptions? options = null,
        Action<int, int>? progress = null, CancellationToken cancellation = default)
    {
        options ??= new LinearProbeGridOptions();
        CheckInputs(train, validation, options);
        var device = TorchRuntime.ResolveDevice(options.Device);
        var stopwatch = Stopwatch.StartNew();
        var rows = train[0].Features.Rows;
        var classes = train[0].Features.ClassCount;
        var rates = options.BaseLearningRates.Select(options.Scaled).ToArray();
        var batchesPerEpoch = (rows + options.BatchSize - 1) / options.BatchSize;
        var totalSteps = batchesPerEpoch * options.Epochs;

        using var outer = NewDisposeScope();
        using var generator = new Generator((ulong)options.Seed);
        var heads = train.Select(t => new StackedHeads(t.Features, rates, classes, generator, device)).ToArray();
        var labels = tensor(train[0].Features.Labels.Select(l => (long)l).ToArray(), device: device);
        var shuffle = new Random(options.Seed);

        using (no_grad())
        {
            var step = 0;
            for (var epoch = 0; epoch < options.Epochs; epoch++)
            {
                var order = Enumerable.Range(0, rows).ToArray();
                shuffle.Shuffle(order);
                for (var start = 0; start < rows; start += options.BatchSize, step++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var count = Math.Min(options.BatchSize, rows - start);
                    var index = tensor(order.AsSpan(start, count).ToArray().Select(i => (long)i).ToArray(), device: device);
                    var oneHot = nn.functional.one_hot(labels.index_select(0, index), classes).to(ScalarType.Float32).unsqueeze(1);
                    var schedule = 0.5 * (1 + Math.Cos(Math.PI * step / totalSteps));
                    foreach (var head in heads)
                        head.Step(index, oneHot, schedule, options);
                    progress?.Invoke(step + 1, totalSteps);
                }
            }
        }

        var candidates = new List<LinearProbeCandidate>();
        (int Head, int Rate) best = (0, 0);
        var bestAccuracy = double.NegativeInfinity;
        for (var h = 0; h < heads.Length; h++)
        {
            var accuracies = heads[h].Accuracies(validation[h].Features, device);
            for (var r = 0; r < rates.Length; r++)
            {
                candidates.Add(new LinearProbeCandidate(train[h].Name, options.BaseLearningRates[r], rates[r], accuracies[r]));
                if (accuracies[r] > bestAccuracy) (bestAccuracy, best) = (accuracies[r], (h, r));
            }
        }
        var model = heads[best.Head].Extract(best.Rate, train[best.Head].Name);
        stopwatch.Stop();
        return new LinearProbeGridResult(candidates, candidates[best.Head * rates.Length + best.Rate], model, stopwatch.Elapsed);
    }

    /// <summary>
    /// Splits a labelled set into train and validation parts per class (seeded): each class with at least two
    /// rows gives round(fraction × its rows), at least one, to validation. Every feature choice is split alike.
    /// </summary>
    public static (IReadOnlyList<LinearProbeFeatures> Train, IReadOnlyList<LinearProbeFeatures> Validation) SplitValidation(
        IReadOnlyList<LinearProbeFeatures> all, double fraction, int seed)
    {
        if (all.Count == 0) throw new ProbeBenchException("the linear probe needs at least one feature choice.");
        var (trainRows, validationRows) = StratifiedSampler.Split(all[0].Features.Labels, fraction, seed);
        return (all.Select(a => a with { Features = a.Features.Subset(trainRows) }).ToArray(),
                all.Select(a => a with { Features = a.Features.Subset(validationRows) }).ToArray());
    }

    private static void CheckInputs(IReadOnlyList<LinearProbeFeatures> train, IReadOnlyList<LinearProbeFeatures> validation, LinearProbeGridOptions options)
    {
        if (train.Count == 0) throw new ProbeBenchException("the linear probe needs at least one feature choice.");
        if (validation.Count != train.Count)
            throw new ProbeBenchException($"the linear probe got {train.Count} train feature choices but {validation.Count} validation ones.");
        if (train.Select(t => t.Name).Distinct().Count() != train.Count)
            throw new ProbeBenchException("the linear probe's feature choices must have distinct names.");
        for (var i = 0; i < train.Count; i++)
        {
            var trainWhat = $"linear probe train features '{train[i].Name}'";
            ProbeInputChecks.Train(train[i].Features, trainWhat);
            if (validation[i].Name != train[i].Name)
                throw new ProbeBenchException($"validation feature choice {i} is '{validation[i].Name}' but train feature choice {i} is '{train[i].Name}'.");
            ProbeInputChecks.Compatible(train[i].Features, trainWhat, validation[i].Features, $"linear probe validation features '{validation[i].Name}'");
            if (i > 0) SameRows(train[0], train[i], "train");
            if (i > 0) SameRows(validation[0], validation[i], "validation");
        }
        if (options.BaseLearningRates.Count == 0 || options.BaseLearningRates.Any(r => !(r > 0) || !double.IsFinite(r)))
            throw new ProbeBenchException("linear probe option BaseLearningRates must list positive learning rates.");
        if (options.BatchSize <= 0) throw new ProbeBenchException($"linear probe option BatchSize must be positive, got {options.BatchSize}.");
        if (options.Epochs <= 0) throw new ProbeBenchException($"linear probe option Epochs must be positive, got {options.Epochs}.");
        if (!(options.Momentum >= 0 && options.Momentum < 1))
            throw new ProbeBenchException($"linear probe option Momentum must lie in [0, 1), got {options.Momentum}.");
        if (!(options.WeightDecay >= 0)) throw new ProbeBenchException($"linear probe option WeightDecay must be ≥ 0, got {options.WeightDecay}.");
    }

    private static void SameRows(LinearProbeFeatures first, LinearProbeFeatures other, string split)
    {
        if (other.Features.Rows != first.Features.Rows || other.Features.ClassCount != first.Features.ClassCount
            || !other.Features.Labels.AsSpan().SequenceEqual(first.Features.Labels))
            throw new ProbeBenchException($"{split} feature choice '{other.Name}' does not describe the same rows and labels as '{first.Name}'.");
    }

    /// <summary>The L classifiers of one feature choice, stacked: weight (L·C) × D, bias L·C, momentum buffers alike.</summary>
    private sealed class StackedHeads
    {
        private readonly Tensor features;
        private readonly Tensor weight;
        private readonly Tensor bias;
        private readonly Tensor weightMomentum;
        private readonly Tensor biasMomentum;
        private readonly Tensor rates;
        private readonly int rateCount;
        private readonly int classes;
        private readonly int dim;

        public StackedHeads(FeatureSet set, double[] learningRates, int classes, Generator generator, Device device)
        {
            rateCount = learningRates.Length;
            this.classes = classes;
            dim = set.Dim;
            features = tensor(set.Values, [set.Rows, set.Dim]).to(device);
            weight = (randn([rateCount * classes, dim], generator: generator) * 0.01).to(device);
            bias = zeros(rateCount * classes, device: device);
            weightMomentum = zeros_like(weight);
            biasMomentum = zeros_like(bias);
            rates = tensor(learningRates.Select(r => (float)r).ToArray(), device: device).repeat_interleave(classes);
        }

        public void Step(Tensor index, Tensor oneHot, double schedule, LinearProbeGridOptions options)
        {
            var x = features.index_select(0, index);
            var batch = x.shape[0];
            var logits = addmm(bias, x, weight.t(), 1, 1).view(batch, rateCount, classes);
            // d(mean cross-entropy)/d(logits) for every classifier at once.
            var gradLogits = ((logits.softmax(2) - oneHot) / batch).view(batch, rateCount * classes);
            var gradWeight = mm(gradLogits.t(), x);
            var gradBias = gradLogits.sum(0);
            if (options.WeightDecay > 0)
            {
                gradWeight.add_(weight, alpha: options.WeightDecay);
                gradBias.add_(bias, alpha: options.WeightDecay);
            }
            weightMomentum.mul_(options.Momentum).add_(gradWeight);
            biasMomentum.mul_(options.Momentum).add_(gradBias);
            var stepRates = rates * schedule;
            weight.sub_(weightMomentum * stepRates.unsqueeze(1));
            bias.sub_(biasMomentum * stepRates);
        }

        public double[] Accuracies(FeatureSet validation, Device device)
        {
            using var scope = NewDisposeScope();
            var x = tensor(validation.Values, [validation.Rows, dim]).to(device);
            var predicted = addmm(bias, x, weight.t(), 1, 1).view(validation.Rows, rateCount, classes).argmax(2);
            var predictions = TensorCopy.ToArray<long>(predicted);
            var correct = new int[rateCount];
            for (var r = 0; r < validation.Rows; r++)
                for (var l = 0; l < rateCount; l++)
                    if (predictions[r * rateCount + l] == validation.Labels[r]) correct[l]++;
            return correct.Select(c => c / (double)validation.Rows).ToArray();
        }

        public LinearProbeModel Extract(int rate, string name)
        {
            using var scope = NewDisposeScope();
            var w = TensorCopy.ToArray<float>(weight.narrow(0, rate * classes, classes));
            var b = TensorCopy.ToArray<float>(bias.narrow(0, rate * classes, classes));
            return new LinearProbeModel(name, w, b, dim, classes);
        }
    }
}
