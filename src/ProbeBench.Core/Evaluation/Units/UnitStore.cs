using System.Text.Json;
using ProbeBench.Core.Cache;
using ProbeBench.Core.Data;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Evaluation.Units;

/// <summary>
/// A folder of unit records, <c>&lt;id&gt;.json</c> each, written atomically: a record exists only for a finished unit,
/// so a unit whose record is present is done, and any process can read what another finished.
/// </summary>
public sealed class UnitStore(string folder)
{
    // A null where the record's types say there is none (a hand-edited record) is a JSON error, not a crash later.
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, RespectNullableAnnotations = true };

    /// <summary>Largest record read (64 MiB): a record holds a unit's result rows and log, a few hundred KB for big grids.</summary>
    public const long MaxRecordBytes = 64L << 20;

    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>The record's file; an id that is not one plain file name (ids come from plans and records on disk) is refused.</summary>
    public string PathOf(string unitId)
    {
        if (!IsPlainId(unitId))
            throw new ProbeBenchException($"The work unit id {DataFiles.Quote(unitId)} is not a plain name (letters, digits, '-', '_' and '.', not first), so it names no record in {Folder}.");
        return Path.Combine(Folder, unitId + ".json");
    }

    public UnitRecord? TryGet(string unitId)
    {
        var path = PathOf(unitId);
        if (InputFiles.ReadSmallTextIfPresent(path, "The unit record", MaxRecordBytes) is not { } text) return null;
        UnitRecord record;
        try
        {
            record = JsonSerializer.Deserialize<UnitRecord>(text, Json) ?? throw new ProbeBenchException($"The unit record {path} is empty.");
        }
        catch (JsonException e)
        {
            throw new ProbeBenchException($"The unit record {path} is not valid JSON ({e.Message}); remove it to run the unit again.", inner: e);
        }
        if (record.Rows.Any(row => row is null))
            throw new ProbeBenchException($"The unit record {path} holds a null result row; remove it to run the unit again.");
        if (record.Id != unitId)
            throw new ProbeBenchException($"The unit record {path} holds unit {DataFiles.Quote(record.Id ?? "")}, not {unitId}; remove it to run the unit again.");
        // A dictionary's values are not checked against nullable annotations: a null key is refused here as a bad one.
        var keys = record.DenseTargets is { } dense ? record.CacheKeys.Values.Append(dense.Key) : record.CacheKeys.Values;
        foreach (var key in keys.SelectMany(k => k?.Split('+') ?? [""]))
            if (!FeatureCache.IsKey(key))
                throw new ProbeBenchException($"The unit record {path} names the feature-cache entry {DataFiles.Quote(key)}, which is not a cache key; remove it to run the unit again.");
        return record;
    }

    public UnitRecord Get(string unitId, string neededBy) =>
        TryGet(unitId) ?? throw new ProbeBenchException($"Work unit {neededBy} needs unit {unitId}, which has not finished (no {PathOf(unitId)}).");

    public void Save(UnitRecord record)
    {
        var path = PathOf(record.Id);
        Directory.CreateDirectory(Folder);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(record, Json));
    }

    private static bool IsPlainId(string id) =>
        id.Length is > 0 and <= 200 && id[0] != '.' && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
