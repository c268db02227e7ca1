using System.Globalization;

namespace ProbeBench.Core.Preprocessing;

public enum ResizeMode { Bilinear, Bicubic }

/// <summary>
/// How images become network inputs: uint8 → float in [0, 1], resize (align_corners false, optional antialias),
/// optional center crop, normalize. <see cref="ResizeShorter"/> resizes the shorter side to <see cref="ResizeHeight"/>
/// keeping the aspect ratio (torchvision's Resize(int)); otherwise the image is resized to exactly
/// <see cref="ResizeHeight"/> × <see cref="ResizeWidth"/>.
/// </summary>
public sealed record PreprocessRecipe(
    string Name,
    int ResizeHeight,
    int ResizeWidth,
    bool ResizeShorter,
    ResizeMode Mode,
    bool Antialias,
    int? CropHeight,
    int? CropWidth,
    IReadOnlyList<double> Mean,
    IReadOnlyList<double> Std)
{
    public static readonly IReadOnlyList<double> ImageNetMean = [0.485, 0.456, 0.406];
    public static readonly IReadOnlyList<double> ImageNetStd = [0.229, 0.224, 0.225];
    public static readonly IReadOnlyList<double> Cifar10Mean = [0.49139968, 0.48215841, 0.44653091];
    public static readonly IReadOnlyList<double> Cifar10Std = [0.24703223, 0.24348513, 0.26158784];

    /// <summary>DINOv2's evaluation transform: shorter side to 256 (bicubic, antialias), center crop 224, ImageNet mean/std.</summary>
    public static PreprocessRecipe Dinov2Eval { get; } =
        new("dinov2-eval", 256, 256, ResizeShorter: true, ResizeMode.Bicubic, Antialias: true, 224, 224, ImageNetMean, ImageNetStd);

    /// <summary>The CIFAR-10 notebook recipe: resize to 224×224 (bilinear, antialias), CIFAR-10 mean/std.</summary>
    public static PreprocessRecipe Resize224 { get; } =
        new("resize-224", 224, 224, ResizeShorter: false, ResizeMode.Bilinear, Antialias: true, null, null, Cifar10Mean, Cifar10Std);

    /// <summary>SAT-493M's mean/std (the DINOv3 README's transform for satellite weights).</summary>
    public static readonly IReadOnlyList<double> Sat493MMean = [0.430, 0.411, 0.296];
    public static readonly IReadOnlyList<double> Sat493MStd = [0.213, 0.156, 0.143];

    /// <summary>DINOv3's evaluation transform (its README's make_transform at 224): resize to 224×224 (bilinear, antialias), ImageNet mean/std.</summary>
    public static PreprocessRecipe Dinov3Eval { get; } =
        new("dinov3-eval", 224, 224, ResizeShorter: false, ResizeMode.Bilinear, Antialias: true, null, null, ImageNetMean, ImageNetStd);

    /// <summary>The same for DINOv3's SAT-493M (satellite) weights: resize to 224×224 (bilinear, antialias), SAT-493M mean/std.</summary>
    public static PreprocessRecipe Dinov3SatEval { get; } =
        new("dinov3-sat-eval", 224, 224, ResizeShorter: false, ResizeMode.Bilinear, Antialias: true, null, null, Sat493MMean, Sat493MStd);

    public static IReadOnlyList<PreprocessRecipe> Named { get; } = [Dinov2Eval, Resize224, Dinov3Eval, Dinov3SatEval];

    /// <summary>Output height and width for an input of <paramref name="height"/> × <paramref name="width"/>.</summary>
    public (int Height, int Width) OutputSize(int height, int width)
    {
        var (h, w) = ResizedSize(height, width);
        return (CropHeight ?? h, CropWidth ?? w);
    }

    /// <summary>The size after resizing, with torchvision's rule for Resize(int): the longer side is int(size · long / short).</summary>
    public (int Height, int Width) ResizedSize(int height, int width)
    {
        if (!ResizeShorter) return (ResizeHeight, ResizeWidth);
        return height <= width
            ? (ResizeHeight, (int)((long)ResizeHeight * width / height))
            : ((int)((long)ResizeHeight * height / width), ResizeHeight);
    }

    /// <summary>A canonical text of every parameter; it goes into feature-cache keys.</summary>
    public string Canonical =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Name};resize={(ResizeShorter ? "short" : "exact")}{ResizeHeight}x{ResizeWidth};{Mode.ToString().ToLowerInvariant()};antialias={Antialias};" +
            $"crop={(CropHeight is null ? "none" : $"{CropHeight}x{CropWidth}")};mean={string.Join(',', Mean.Select(m => m.ToString("R", CultureInfo.InvariantCulture)))};" +
            $"std={string.Join(',', Std.Select(s => s.ToString("R", CultureInfo.InvariantCulture)))}");
}
