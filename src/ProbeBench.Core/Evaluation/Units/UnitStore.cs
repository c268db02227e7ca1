using System.Text.Json;
using ProbeBench.Core.IO;

namespace ProbeBench.Core.Evaluation.Units;

/// <summary>
/// A folder of unit records, <c>&lt;id&gt;.json</c> each, written atomically: a record exists only for a finished unit,
/// so a unit whose record is present is done, and any process can read what another finished.
/// </summary>
public sealed class UnitStore(string folder)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Folder { get; } = Path.GetFullPath(folder);

    public string PathOf(string unitId) => Path.Combine(Folder, unitId + ".json");

    public UnitRecord? TryGet(string unitId)
    {
        var path = PathOf(unitId);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<UnitRecord>(File.ReadAllText(path), Json)
                   ?? throw new ProbeBenchException($"The unit record {path} is empty.");
        }
        catch (JsonException e)
        {
            throw new ProbeBenchException($"The unit record {path} is not valid JSON ({e.Message}); remove it to run the unit again.", inner: e);
        }
    }

    public UnitRecord Get(string unitId, string neededBy) =>
        TryGet(unitId) ?? throw new ProbeBenchException($"Work unit {neededBy} needs unit {unitId}, which has not finished (no {PathOf(unitId)}).");

    public void Save(UnitRecord record)
    {
        Directory.CreateDirectory(Folder);
        AtomicFile.WriteAllText(PathOf(record.Id), JsonSerializer.Serialize(record, Json));
    }
}
