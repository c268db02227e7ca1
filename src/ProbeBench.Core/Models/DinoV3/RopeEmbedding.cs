using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace ProbeBench.Core.Models.DinoV3;

/// <summary>
/// The RoPE tables of one patch grid, float32, owned by the <see cref="RopeEmbedding"/> that made them (or by the caller's
/// dispose scope past its cache). <see cref="Sin"/> and <see cref="Cos"/> are the official h·w × head_dim tables; the
/// two prefixed tables, one row per token, are what <see cref="RopeEmbedding.Apply"/> multiplies by.
/// </summary>
/// <param name="PrefixedCos">Cos with a row of ones for each prefix token (class, storage).</param>
/// <param name="PrefixedRotatedSin">Sin with its first half negated and a row of zeros for each prefix token.</param>
public sealed record RopeSinCos(Tensor Sin, Tensor Cos, Tensor PrefixedCos, Tensor PrefixedRotatedSin) : IDisposable
{
    public void Dispose()
    {
        Sin.Dispose();
        Cos.Dispose();
        PrefixedCos.Dispose();
        PrefixedRotatedSin.Dispose();
    }
}

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
    private readonly int _prefixTokens;
    // Keyed by the device too: tables follow the periods buffer if the module is moved.
    private readonly Dictionary<(long H, long W, string Device), RopeSinCos> _cache = [];
    private readonly Lock _lock = new();

    /// <param name="periods">The checkpoint's periods (head_dim / 4 values); kept in float32 on <paramref name="device"/>.</param>
    /// <param name="prefixTokens">Tokens before the patches (class and storage), which RoPE leaves as they are.</param>
    public RopeEmbedding(string name, Tensor periods, RopeCoordinates coordinates, int prefixTokens, Device? device) : base(name)
    {
        using var noGrad = no_grad();
        var detached = periods.detach();
        _periods = detached.to(float32, device ?? periods.device);
        if (!ReferenceEquals(_periods, detached)) detached.Dispose();
        _periods.DetachFromDisposeScope();
        _coordinates = coordinates;
        _prefixTokens = prefixTokens;
        RegisterComponents();
    }

    public Tensor Periods => _periods;

    /// <summary>
    /// The tables for an <paramref name="h"/>×<paramref name="w"/> patch grid, made once per grid size and kept; past
    /// <see cref="MaxCachedGrids"/> sizes a new grid's tables are not kept but belong to the caller's dispose scope.
    /// </summary>
    public RopeSinCos ForGrid(long h, long w)
    {
        lock (_lock)
        {
            var key = (h, w, _periods.device.ToString());
            if (_cache.TryGetValue(key, out var cached)) return cached;
            var made = Compute(h, w);
            if (_cache.Count >= MaxCachedGrids) return made;
            foreach (var t in new[] { made.Sin, made.Cos, made.PrefixedCos, made.PrefixedRotatedSin }) t.DetachFromDisposeScope();
            _cache[key] = made;
            return made;
        }
    }

    /// <summary>How many grid sizes have their tables kept.</summary>
    public int CachedGrids
    {
        get
        {
            lock (_lock) return _cache.Count;
        }
    }

    /// <summary>
    /// The official apply_rope on <paramref name="x"/> (… × N × head_dim, N = prefix + h·w): in float32, then cast back
    /// to x's dtype. Official: patches become x·cos + rotate_half(x)·sin with rotate_half(x) = [−x₂, x₁], prefix tokens
    /// pass unchanged. Here the same numbers come in fewer passes: rotate_half(x)·sin = roll(x)·[−sin₁, sin₂] (negating
    /// a factor is exact), and prefix rows use cos = 1, sin = 0, which gives x back exactly for any finite x.
    /// </summary>
    public static Tensor Apply(Tensor x, RopeSinCos rope)
    {
        using var scope = NewDisposeScope();
        var dtype = x.dtype;
        var xf = x.to(float32);
        if (xf.shape[^2] != rope.PrefixedCos.shape[0])
            throw new ArgumentException($"{rope.PrefixedCos.shape[0]} RoPE rows for {xf.shape[^2]} tokens.", nameof(rope));
        var rotated = xf.roll(xf.shape[^1] / 2, -1).mul_(rope.PrefixedRotatedSin);
        var applied = (xf * rope.PrefixedCos).add_(rotated);
        return applied.to(dtype).MoveToOuterDisposeScope();
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
        var angles = 2 * Math.PI * coords.unsqueeze(-1) / _periods.unsqueeze(0).unsqueeze(0); // HW × 2 × D/4, float32
        angles = angles.flatten(1, 2).tile([1, 2]); // HW × D
        var sin = angles.sin();
        var cos = angles.cos();
        var half = sin.shape[1] / 2;
        var rotatedSin = cat([sin[.., ..(int)half].neg(), sin[.., (int)half..]], 1);
        var prefixedCos = cat([ones(_prefixTokens, sin.shape[1], float32, device), cos], 0);
        var prefixedSin = cat([zeros(_prefixTokens, sin.shape[1], float32, device), rotatedSin], 0);
        return new RopeSinCos(sin.MoveToOuterDisposeScope(), cos.MoveToOuterDisposeScope(),
            prefixedCos.MoveToOuterDisposeScope(), prefixedSin.MoveToOuterDisposeScope());
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            lock (_lock)
            {
                foreach (var entry in _cache.Values) entry.Dispose();
                _cache.Clear();
            }
        base.Dispose(disposing);
    }
}
