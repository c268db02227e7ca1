namespace ProbeBench.Core.Data;

/// <param name="SkipUndecodable">
/// Decode every image once when the folder is opened and leave out (and list in
/// <see cref="ImageFolderDataset.Skipped"/>) those that fail, instead of failing on the first one.
/// </param>
public sealed record ImageFolderOptions(bool SkipUndecodable = false);
