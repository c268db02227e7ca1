namespace ProbeBench.Core.Data;

/// <param name="SkipUndecodable">
/// Decode every image once when the folder is opened and leave out (and list in
/// <see cref="ImageFolderDataset.Skipped"/>) those that fail, instead of failing on the first one. The verdict of each
/// file is kept in the folder's index, so a rerun decodes only files that changed.
/// </param>
/// <param name="VerifyData">Fingerprint from every file's content (SHA-256) instead of its size and modification time.</param>
/// <param name="IndexFolder">Where the folder's index is cached (null: no cache); one JSON file per image folder.</param>
/// <param name="Progress">Called while indexing with the number of files found so far, and once at the end.</param>
public sealed record ImageFolderOptions(
    bool SkipUndecodable = false,
    bool VerifyData = false,
    string? IndexFolder = null,
    Action<string>? Progress = null);
