using System.Linq;
using System.Buffers.Binary;
using System.IO;
using NetGen.Data;
using NetGen.Serialization;

namespace NetGen.Tests.Serialization;

internal static class WeightFileTestSupport
{
    /// <summary>A standardizer for a network of four inputs, with values that round-trip only if every bit does.</summary>
    public static Standardizer FourFeatureStandardizer()
        => new([5.8433332f, -0f, float.Epsilon, -1e30f], [0.8253013f, 1f, 3.4028235e38f, 1.1754942e-38f]);

    public static int[] Bits(ReadOnlySpan<float> values)
    {
        int[] bits = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            bits[i] = BitConverter.SingleToInt32Bits(values[i]);
        }

        return bits;
    }

    /// <summary>Rewrites both checksums so that a deliberately edited file passes them and reaches the later checks.</summary>
    public static byte[] Reseal(byte[] file)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(20), Crc32.Compute(file.AsSpan(0, 20)));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32.Compute(file.AsSpan(0, file.Length - 4)));
        return file;
    }

    /// <summary>A fresh, empty directory under the system temporary directory, deleted on dispose.</summary>
    public sealed class TemporaryDirectory : IDisposable
    {
        public TemporaryDirectory()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "netgen-tests-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public string[] Entries() => Directory.GetFileSystemEntries(Path).Select(System.IO.Path.GetFileName).Order().ToArray()!;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
