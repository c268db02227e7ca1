using static TorchSharp.torch;

namespace ProbeBench.Core.Probes.Dense;

/// <summary>How a dense linear probe trains: AdamW for <see cref="Steps"/> steps of <see cref="BatchSize"/> images.</summary>
public sealed record DenseTrainingOptions
{
    public int Steps { get; init; } = 2000;
    public int BatchSize { get; init; } = 8;
    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 1e-2;

    /// <summary>Share of the steps over which the learning rate rises linearly from 0 (then it decays linearly to 0: mmseg's poly, power 1).</summary>
    public double WarmupFraction { get; init; } = 0.1;

    public int Seed { get; init; }

    /// <summary>cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "cpu";

    public void Validate(string what)
    {
        if (Steps <= 0 || BatchSize <= 0)
            throw new ProbeBenchException($"{what} options Steps ({Steps}) and BatchSize ({BatchSize}) must be positive.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate) || !(WeightDecay >= 0))
            throw new ProbeBenchException($"{what} options LearningRate ({LearningRate}) must be positive and WeightDecay ({WeightDecay}) non-negative.");
        if (!(WarmupFraction >= 0 && WarmupFraction < 1))
            throw new ProbeBenchException($"{what} option WarmupFraction ({WarmupFraction}) must lie in [0, 1).");
    }

    /// <summary>The learning-rate factor at <paramref name="step"/>: linear warm-up, then linear decay to zero.</summary>
    public double Factor(int step)
    {
        var warmup = (int)(WarmupFraction * Steps);
        if (step < warmup) return (step + 1.0) / warmup;
        return Math.Max(0, 1 - (double)(step - warmup) / Math.Max(1, Steps - warmup));
    }
}

/// <summary>Batches of image indices from seeded per-epoch shuffles (every image once per epoch), so a CPU run repeats exactly.</summary>
public sealed class DenseBatchOrder(int images, int seed)
{
    private readonly Random _random = new(seed);
    private readonly int[] _order = Enumerable.Range(0, images).ToArray();
    private int _position = images;

    public long[] Next(int batchSize)
    {
        var batch = new long[Math.Min(batchSize, _order.Length)];
        for (var i = 0; i < batch.Length; i++)
        {
            if (_position == _order.Length) { _random.Shuffle(_order); _position = 0; }
            batch[i] = _order[_position++];
        }
        return batch;
    }

    /// <summary>Every image once, in order, in batches (for prediction).</summary>
    public static IEnumerable<long[]> InOrder(int images, int batchSize)
    {
        // A batch of 0 would never advance: every prediction loop relies on this check.
        if (batchSize <= 0) throw new ProbeBenchException($"dense prediction batch size {batchSize} is invalid.");
        for (var start = 0; start < images; start += batchSize)
            yield return Enumerable.Range(start, Math.Min(batchSize, images - start)).Select(i => (long)i).ToArray();
    }
}

/// <summary>The training loop both dense probes share: seeded batches, AdamW, warm-up then linear decay, a loss per step.</summary>
internal static class DenseTrainingLoop
{
    /// <param name="loss">The step's loss for a batch, or null when the batch holds no scored pixel (the step is skipped).</param>
    public static List<double> Run(TorchSharp.torch.nn.Module head, IDenseBatchSource source, DenseTrainingOptions options, Device device,
        Func<int, Tensor, Tensor, Tensor?> loss, Action<int, int>? progress, CancellationToken cancellation)
    {
        var losses = new List<double>(options.Steps);
        using var optimizer = optim.AdamW(head.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        var schedule = optim.lr_scheduler.LambdaLR(optimizer, options.Factor);
        var order = new DenseBatchOrder(source.Images, options.Seed);
        head.train();
        for (var step = 0; step < options.Steps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var images = order.Next(options.BatchSize);
            var value = loss(step, source.Features(images, device), source.Labels(images, device));
            if (value is null)
            {
                losses.Add(double.NaN);
            }
            else
            {
                var number = value.item<float>();
                if (!float.IsFinite(number))
                    throw new ProbeBenchException($"dense probe training diverged at step {step + 1} (loss {number}); lower the learning rate (denseLearningRate, now {options.LearningRate:G3}).");
                optimizer.zero_grad();
                value.backward();
                optimizer.step();
                losses.Add(number);
            }
            schedule.step();
            progress?.Invoke(step + 1, options.Steps);
        }
        return losses;
    }
}
