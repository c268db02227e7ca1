using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV3;

/// <summary>The sin and cos of one patch grid, h·w × head_dim in float32 (owned by the <see cref="RopeEmbedding"/> that made them).</summary>
public sealed record RopeSinCos(Tensor Sin, Tensor Cos);

/// <summary>
/// The official <c>rope_embed</c> at inference: axial RoPE with no learnable weights, its <c>periods</c> buffer loaded
/// from the checkpoint. Patch centres (i + 0.5) are normalised per axis into [-1, 1] (or by max/min side), angles are
/// 2π·coord / period for rows then columns, tiled twice, all in float32 (pos_embed_rope_dtype fp32). The training-time
/// shift, jitter and rescale of the coordinates never apply. sin/cos are computed once per grid size and reused.
/// </summary>
public sealed class RopeEmbedding : nn.Module
{
    public const int MaxCachedGrids = 16;

    [ComponentName(Name = "periods")] private Tensor _periods;
    private readonly RopeCoordinates _coordinates;
    private readonly Dictionary<(long H, long W), RopeSinCos> _cache = [];
    private readonly Lock _lock = new();

    /// <param name="periods">The checkpoint's periods (head_dim / 4 values); kept in float32 on <paramref name="device"/>.</param>
    public RopeEmbedding(string name, Tensor periods, RopeCoordinates coordinates, Device? device) : base(name)
    {
        using var noGrad = no_grad();
        _periods = periods.detach().to(float32, device ?? periods.device).DetachFromDisposeScope();
        _coordinates = coordinates;
        RegisterComponents();
    }

    public Tensor Periods => _periods;

    /// <summary>
    /// The sin/cos for an <paramref name="h"/>×<paramref name="w"/> patch grid, made once per grid size and kept; past
    /// <see cref="MaxCachedGrids"/> sizes a new grid's pair is not kept but belongs to the caller's dispose scope.
    /// </summary>
    public RopeSinCos ForGrid(long h, long w)
    {
        lock (_lock)
        {
            if (_cache.TryGetValue((h, w), out var cached)) return cached;
            var made = Compute(h, w);
            if (_cache.Count >= MaxCachedGrids) return made;
            made.Sin.DetachFromDisposeScope();
            made.Cos.DetachFromDisposeScope();
            _cache[(h, w)] = made;
            return made;
        }
    }

    /// <summary>How many grid sizes have their sin/cos kept.</summary>
    public int CachedGrids
    {
        get
        {
            lock (_lock) return _cache.Count;
        }
    }

    /// <summary>
    /// The official rope_apply on the last h·w tokens of <paramref name="x"/> (… × N × head_dim), in float32 like the
    /// official apply_rope, cast back to x's dtype; the prefix tokens (class, storage) pass unchanged.
    /// </summary>
    public static Tensor Apply(Tensor x, RopeSinCos rope)
    {
        using var scope = NewDisposeScope();
        var dtype = x.dtype;
        var xf = x.to(rope.Sin.dtype);
        long n = x.shape[^2], patches = rope.Sin.shape[0], prefix = n - patches;
        if (prefix < 0) throw new ArgumentException($"{patches} RoPE positions for {n} tokens.", nameof(rope));
        var tail = xf.narrow(-2, prefix, patches);
        var halves = tail.chunk(2, -1);
        var rotated = cat([halves[1].neg(), halves[0]], -1);
        var applied = tail * rope.Cos + rotated * rope.Sin;
        var result = prefix == 0 ? applied : cat([xf.narrow(-2, 0, prefix), applied], -2);
        return result.to(dtype).MoveToOuterDisposeScope();
    }

    private RopeSinCos Compute(long h, long w)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var device = _periods.device;
        var (dh, dw) = _coordinates switch
        {
            RopeCoordinates.Max => (Math.Max(h, w), Math.Max(h, w)),
            RopeCoordinates.Min => (Math.Min(h, w), Math.Min(h, w)),
            _ => (h, w),
        };
        var rows = arange(0.5, h, 1.0, float32, device) / dh;
        var columns = arange(0.5, w, 1.0, float32, device) / dw;
        // meshgrid(rows, columns, indexing="ij") flattened: row-major over the patch grid.
        var coords = stack([rows.repeat_interleave(w), columns.repeat(h)], -1);
        coords = 2.0 * coords - 1.0;
        var angles = 2 * Math.PI * coords.unsqueeze(-1) / _periods.unsqueeze(0).unsqueeze(0); // HW × 2 × D/4
        angles = angles.flatten(1, 2).tile([1, 2]); // HW × D
        return new RopeSinCos(angles.sin().MoveToOuterDisposeScope(), angles.cos().MoveToOuterDisposeScope());
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            lock (_lock)
            {
                foreach (var entry in _cache.Values)
                {
                    entry.Sin.Dispose();
                    entry.Cos.Dispose();
                }
                _cache.Clear();
            }
        base.Dispose(disposing);
    }
}
