using System.Buffers.Binary;
using System.Text;

namespace ProbeBench.Core.Runtime;

/// <summary>
/// Marks one version requirement of an ELF64 shared library as weak (VER_FLG_WEAK in the
/// <c>vna_flags</c> of its <c>.gnu.version_r</c> entry), so the dynamic loader accepts the library
/// where that version is missing. Refuses anything it does not recognise: it must be a little-endian
/// ELF64 file with a SHT_GNU_verneed section linked to a string table, naming the requested
/// file and version, whose ELF hash matches the version string.
/// </summary>
/// <remarks>
/// Layouts from the System V gABI and the LSB "Symbol Versioning" chapter:
/// Elf64_Verneed { u16 vn_version; u16 vn_cnt; u32 vn_file; u32 vn_aux; u32 vn_next; }
/// Elf64_Vernaux { u32 vna_hash; u16 vna_flags; u16 vna_other; u32 vna_name; u32 vna_next; }
/// </remarks>
public static class ElfVersionNeedPatcher
{
    public const ushort VerFlagWeak = 0x2;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtStrtab = 3;

    /// <summary>The outcome of <see cref="MarkWeak"/>.</summary>
    public enum Outcome { Patched, AlreadyWeak }

    /// <summary>
    /// Sets VER_FLG_WEAK on the requirement of <paramref name="version"/> from <paramref name="file"/>
    /// inside <paramref name="elf"/> (modified in place). Throws <see cref="ProbeBenchException"/> naming
    /// <paramref name="what"/> when the image is not the expected kind of ELF file.
    /// </summary>
    public static Outcome MarkWeak(Span<byte> elf, string file, string version, string what)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw Refuse(what, "it is not an ELF file");
        if (elf[4] != 2) throw Refuse(what, "it is not a 64-bit ELF file");
        if (elf[5] != 1) throw Refuse(what, "it is not a little-endian ELF file");
        var elfType = U16(elf, 16);
        if (elfType != 3) throw Refuse(what, $"it is an ELF file of type {elfType}, not a shared object (3)");

        var sectionTable = U64(elf, 0x28);
        var sectionSize = U16(elf, 0x3A);
        var sectionCount = U16(elf, 0x3C);
        if (sectionSize != 64 || sectionTable == 0 || sectionTable + (ulong)sectionCount * 64 > (ulong)elf.Length)
            throw Refuse(what, "its section header table is missing or out of bounds");

        var found = false;
        for (var s = 0; s < sectionCount; s++)
        {
            var header = (int)sectionTable + s * 64;
            if (U32(elf, header + 4) != ShtGnuVerneed) continue;
            found = true;
            var offset = U64(elf, header + 24);
            var size = U64(elf, header + 32);
            var link = U32(elf, header + 40);
            var entries = U32(elf, header + 44);
            if (offset + size > (ulong)elf.Length || link >= sectionCount)
                throw Refuse(what, "its .gnu.version_r section is out of bounds");
            var strtabHeader = (int)sectionTable + (int)link * 64;
            if (U32(elf, strtabHeader + 4) != ShtStrtab)
                throw Refuse(what, "its .gnu.version_r section is not linked to a string table");
            var strings = Slice(elf, U64(elf, strtabHeader + 24), U64(elf, strtabHeader + 32), what);
            var section = Slice(elf, offset, size, what);
            var result = PatchSection(section, strings, entries, file, version, what);
            if (result is not null) return result.Value;
        }

        throw found
            ? Refuse(what, $"it has no requirement of {version} from {file}")
            : Refuse(what, "it has no .gnu.version_r section");
    }

    private static Outcome? PatchSection(Span<byte> section, ReadOnlySpan<byte> strings, uint entries, string file, string version, string what)
    {
        var need = 0;
        for (var n = 0; n < entries; n++)
        {
            if (need < 0 || need + 16 > section.Length) throw Refuse(what, "a Verneed entry lies outside .gnu.version_r");
            var count = U16(section, need + 2);
            var fileName = ReadString(strings, U32(section, need + 4), what);
            var aux = need + (int)U32(section, need + 8);
            for (var a = 0; a < count; a++)
            {
                if (aux < 0 || aux + 16 > section.Length) throw Refuse(what, "a Vernaux entry lies outside .gnu.version_r");
                var name = ReadString(strings, U32(section, aux + 8), what);
                if (fileName == file && name == version)
                {
                    if (U32(section, aux) != ElfHash(version))
                        throw Refuse(what, $"the hash recorded for {version} does not match the version string");
                    var flags = U16(section, aux + 4);
                    if ((flags & VerFlagWeak) != 0) return Outcome.AlreadyWeak;
                    BinaryPrimitives.WriteUInt16LittleEndian(section[(aux + 4)..], (ushort)(flags | VerFlagWeak));
                    return Outcome.Patched;
                }
                aux += (int)U32(section, aux + 12);
            }
            var next = U32(section, need + 12);
            if (next == 0) break;
            need += (int)next;
        }
        return null;
    }

    /// <summary>The System V ELF hash (the one recorded in <c>vna_hash</c>).</summary>
    public static uint ElfHash(string name)
    {
        uint h = 0;
        foreach (var c in Encoding.ASCII.GetBytes(name))
        {
            h = (h << 4) + c;
            var g = h & 0xf0000000;
            if (g != 0) h ^= g >> 24;
            h &= ~g;
        }
        return h;
    }

    private static string ReadString(ReadOnlySpan<byte> strings, uint offset, string what)
    {
        if (offset >= strings.Length) throw Refuse(what, "a version name points outside the string table");
        var rest = strings[(int)offset..];
        var end = rest.IndexOf((byte)0);
        if (end < 0) throw Refuse(what, "a version name is not terminated");
        return Encoding.ASCII.GetString(rest[..end]);
    }

    private static Span<byte> Slice(Span<byte> elf, ulong offset, ulong size, string what)
    {
        if (offset + size > (ulong)elf.Length) throw Refuse(what, "a section lies outside the file");
        return elf.Slice((int)offset, (int)size);
    }

    private static ProbeBenchException Refuse(string what, string why) =>
        new($"Refusing to patch {what}: {why}.");

    private static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);
    private static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);
    private static ulong U64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b[at..]);
}
