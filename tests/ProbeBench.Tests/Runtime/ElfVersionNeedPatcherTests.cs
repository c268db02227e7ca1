using System.Buffers.Binary;
using ProbeBench.Core;
using ProbeBench.Core.Runtime;

namespace ProbeBench.Tests.Runtime;

public class ElfVersionNeedPatcherTests
{
    private static byte[] LibTorchSharpBytes() => File.ReadAllBytes(NativeLibraryLocator.LibTorchSharpPath());

    [Fact]
    public void Patch_sets_only_the_weak_flag_of_the_GLIBCXX_3_4_32_requirement()
    {
        var original = LibTorchSharpBytes();
        var patched = (byte[])original.Clone();

        var outcome = ElfVersionNeedPatcher.MarkWeak(patched, "libstdc++.so.6", "GLIBCXX_3.4.32", "libLibTorchSharp.so");

        Assert.Equal(ElfVersionNeedPatcher.Outcome.Patched, outcome);
        var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToList();
        var index = Assert.Single(changed);
        Assert.Equal(ElfVersionNeedPatcher.VerFlagWeak, patched[index] & ElfVersionNeedPatcher.VerFlagWeak);
        Assert.Equal(0, original[index] & ElfVersionNeedPatcher.VerFlagWeak);
        // vna_flags follows the 4-byte vna_hash of the same Vernaux entry: the hash must be GLIBCXX_3.4.32's.
        Assert.Equal(ElfVersionNeedPatcher.ElfHash("GLIBCXX_3.4.32"), BinaryPrimitives.ReadUInt32LittleEndian(original.AsSpan(index - 4)));
    }

    [Fact]
    public void Patching_twice_reports_already_weak_and_changes_nothing()
    {
        var bytes = LibTorchSharpBytes();
        ElfVersionNeedPatcher.MarkWeak(bytes, "libstdc++.so.6", "GLIBCXX_3.4.32", "lib");
        var once = (byte[])bytes.Clone();
        Assert.Equal(ElfVersionNeedPatcher.Outcome.AlreadyWeak, ElfVersionNeedPatcher.MarkWeak(bytes, "libstdc++.so.6", "GLIBCXX_3.4.32", "lib"));
        Assert.Equal(once, bytes);
    }

    [Fact]
    public void Refuses_a_version_the_library_does_not_require()
    {
        var e = Assert.Throws<ProbeBenchException>(() => ElfVersionNeedPatcher.MarkWeak(LibTorchSharpBytes(), "libstdc++.so.6", "GLIBCXX_9.9.99", "lib.so"));
        Assert.Contains("no requirement of GLIBCXX_9.9.99 from libstdc++.so.6", e.Message);
    }

    [Fact]
    public void Refuses_files_that_are_not_64_bit_little_endian_shared_objects()
    {
        Assert.Contains("not an ELF file", Assert.Throws<ProbeBenchException>(() => ElfVersionNeedPatcher.MarkWeak(new byte[4096], "a", "b", "zeros")).Message);

        var elf32 = LibTorchSharpBytes();
        elf32[4] = 1;
        Assert.Contains("not a 64-bit ELF", Assert.Throws<ProbeBenchException>(() => ElfVersionNeedPatcher.MarkWeak(elf32, "a", "b", "x")).Message);

        var bigEndian = LibTorchSharpBytes();
        bigEndian[5] = 2;
        Assert.Contains("not a little-endian", Assert.Throws<ProbeBenchException>(() => ElfVersionNeedPatcher.MarkWeak(bigEndian, "a", "b", "x")).Message);

        var executable = LibTorchSharpBytes();
        executable[16] = 2;
        Assert.Contains("not a shared object", Assert.Throws<ProbeBenchException>(() => ElfVersionNeedPatcher.MarkWeak(executable, "a", "b", "x")).Message);

        var truncated = LibTorchSharpBytes().AsSpan(0, 4096).ToArray();
        Assert.Contains("out of bounds", Assert.Throws<ProbeBenchException>(() => ElfVersionNeedPatcher.MarkWeak(truncated, "a", "b", "x")).Message);
    }

    [Fact]
    public void Refuses_a_requirement_whose_recorded_hash_does_not_match()
    {
        var bytes = LibTorchSharpBytes();
        var patchedOnce = (byte[])bytes.Clone();
        ElfVersionNeedPatcher.MarkWeak(patchedOnce, "libstdc++.so.6", "GLIBCXX_3.4.32", "x");
        var flagIndex = Enumerable.Range(0, bytes.Length).Single(i => bytes[i] != patchedOnce[i]);
        bytes[flagIndex - 4] ^= 0xff;
        Assert.Contains("hash", Assert.Throws<ProbeBenchException>(() => ElfVersionNeedPatcher.MarkWeak(bytes, "libstdc++.so.6", "GLIBCXX_3.4.32", "x")).Message);
    }

    [Fact]
    public void Elf_hash_matches_known_values()
    {
        // Values as readelf/binutils compute them for these version names.
        Assert.Equal(0x0297f842u, ElfHash("GLIBCXX_3.4.32"));
        Assert.Equal(0x09691a75u, ElfHash("GLIBC_2.2.5"));
    }

    private static uint ElfHash(string s) => ElfVersionNeedPatcher.ElfHash(s);
}
