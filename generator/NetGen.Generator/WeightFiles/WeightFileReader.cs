using System;
using System.Globalization;
using System.Text;
using NetGen.Generator.Model;

namespace NetGen.Generator.WeightFiles;

/// <summary>
/// Reads a NetGen weight file (<c>.ngw</c>, specified in docs/weights-format.md; written by the runtime's
/// <c>NetGen.Serialization.WeightFile</c>) into the network its architecture text describes, with its parameters.
/// </summary>
/// <remarks>
/// Validates in the order of the format's "Reading" steps: magic, header length, header CRC, version and flags, declared
/// length, actual length, file CRC, structure (a standardizer block is checked and then ignored); then, in place of the
/// comparison with a declared network, the architecture text must parse (<see cref="ArchitectureText"/>) and the
/// parameter count must be the one it implies; last, every parameter must be finite. Whether the architecture suits a
/// NetGen network (Softmax only on the last layer, a loss that suits the output) is left to the caller.
/// </remarks>
internal static class WeightFileReader
{
    /// <summary>The format version this reader reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The size in bytes of the fixed header: magic, version, flags, length and header CRC.</summary>
    public const int HeaderSize = 24;

    private const int VersionOffset = 8;
    private const int FlagsOffset = 10;
    private const int LengthOffset = 12;
    private const int HeaderCrcOffset = 20;
    private const int ChecksumSize = 4;
    private const int StandardizerFlag = 1;

    /// <summary>The smallest possible file: header, empty architecture, no parameters, checksum.</summary>
    private const int MinimumSize = HeaderSize + 4 + 4 + ChecksumSize;

    /// <summary>The runtime's <c>Array.MaxLength</c>, the largest file <c>WeightFile</c> reads or writes.</summary>
    private const int MaximumSize = 0x7FFFFFC7;

    private const string MagicText = "89 4E 47 57 0D 0A 1A 0A";

    /// <summary>The first eight bytes of every weight file: <c>\x89NGW\r\n\x1A\n</c>.</summary>
    private static readonly byte[] Magic = { 0x89, 0x4E, 0x47, 0x57, 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>
    /// Whether <paramref name="data"/> is meant to be a weight file: it starts with the magic bytes, or is a non-empty
    /// prefix of them (a truncated weight file, which <see cref="Read"/> reports as truncated). Exactly the data for
    /// which <see cref="Read"/> does not answer "not a NetGen weight file", except empty data.
    /// </summary>
    public static bool IsWeightFile(byte[] data) => data != null && data.Length > 0 && StartsWithMagic(data);

    /// <summary>Every failure is <see cref="ImportedNetwork.IsCorrupt"/>: a weight file has no "unsupported" operators, only damage. Never throws: every problem, including a truncated or corrupt file, is a failed result.</summary>
    /// <param name="data">The whole file.</param>
    /// <returns>The network, with the loss the file records; or the failure, a sentence naming the problem.</returns>
    public static ImportedNetwork Read(byte[] data)
    {
        try
        {
            return ReadChecked(data ?? Array.Empty<byte>());
        }
        catch (Exception e)
        {
            // Not expected: every check above returns a failure. A safety net, as the generator must never throw.
            return ImportedNetwork.Corrupt($"the file could not be read as a NetGen weight file ({e.GetType().Name}: {e.Message})");
        }
    }

    private static ImportedNetwork ReadChecked(byte[] data)
    {
        // 1. Magic (a prefix of it for shorter data, so that a truncated weight file is reported as truncated).
        if (!StartsWithMagic(data))
        {
            return ImportedNetwork.Corrupt($"the file is not a NetGen weight file: it does not start with the magic bytes {MagicText}");
        }

        // 2. A complete header.
        if (data.Length < HeaderSize)
        {
            return ImportedNetwork.Corrupt(data.Length == 0
                ? "the file is empty"
                : $"the file is truncated: it has {data.Length} bytes, fewer than the {HeaderSize}-byte header");
        }

        // 3. The header CRC; from here on the header's fields can be trusted.
        uint storedHeaderCrc = ReadUInt32(data, HeaderCrcOffset);
        uint headerCrc = Crc32.Compute(data, 0, HeaderCrcOffset);
        if (storedHeaderCrc != headerCrc)
        {
            return ImportedNetwork.Corrupt(
                $"the file is corrupt: its header checksum is 0x{storedHeaderCrc:X8} but the header gives 0x{headerCrc:X8}");
        }

        // 4. Version and flags.
        int version = ReadUInt16(data, VersionOffset);
        if (version != FormatVersion)
        {
            return ImportedNetwork.Corrupt(
                $"the file is in weight-file format version {version}; this version of NetGen reads version {FormatVersion}");
        }

        int flags = ReadUInt16(data, FlagsOffset);
        if ((flags & ~StandardizerFlag) != 0)
        {
            return ImportedNetwork.Corrupt(
                $"the file sets flags 0x{flags:X4}, of which only 0x{StandardizerFlag:X4} is defined in format version {FormatVersion}");
        }

        // 5. A plausible declared length.
        ulong declared = ReadUInt32(data, LengthOffset) | ((ulong)ReadUInt32(data, LengthOffset + 4) << 32);
        if (declared < MinimumSize || declared > MaximumSize)
        {
            return Malformed($"its header declares a length of {declared} bytes, outside [{MinimumSize}, {MaximumSize}]");
        }

        // 6. Exactly the declared length.
        int length = (int)declared;
        if (data.Length < length)
        {
            return ImportedNetwork.Corrupt($"the file is truncated: it has {data.Length} bytes but its header declares {length}");
        }

        if (data.Length > length)
        {
            return ImportedNetwork.Corrupt(
                $"the file is corrupt: {data.Length - length} unexpected bytes follow the {length} bytes its header declares");
        }

        // 7. The file CRC; from here on the bytes are as written.
        int body = length - ChecksumSize;
        uint storedCrc = ReadUInt32(data, body);
        uint crc = Crc32.Compute(data, 0, body);
        if (storedCrc != crc)
        {
            return ImportedNetwork.Corrupt($"the file is corrupt: its checksum is 0x{storedCrc:X8} but its contents give 0x{crc:X8}");
        }

        // 8. A consistent structure: what remains is whether the writer wrote something sensible.
        int offset = HeaderSize;
        if (!ReadCount(data, body, ref offset, 1, "bytes of architecture text", out int architectureLength, out string? problem))
        {
            return Malformed(problem!);
        }

        string architecture;
        try
        {
            architecture = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(data, offset, architectureLength);
        }
        catch (DecoderFallbackException)
        {
            return Malformed("its architecture text is not valid UTF-8");
        }

        offset += architectureLength;
        for (; offset % 4 != 0; offset++)
        {
            if (offset >= body || data[offset] != 0)
            {
                return Malformed("the padding after its architecture text is not zero");
            }
        }

        if (!ReadCount(data, body, ref offset, 4, "parameters", out int parameterCount, out problem))
        {
            return Malformed(problem!);
        }

        int parametersOffset = offset;
        offset += 4 * parameterCount;
        int featureCount = -1;
        int standardizerOffset = -1;
        if ((flags & StandardizerFlag) != 0)
        {
            if (!ReadCount(data, body, ref offset, 8, "standardizer features", out featureCount, out problem))
            {
                return Malformed(problem!);
            }

            if (featureCount == 0)
            {
                return Malformed("its standardizer has no features");
            }

            standardizerOffset = offset;

            for (int f = 0; f < featureCount; f++)
            {
                uint mean = ReadUInt32(data, offset + (4 * f));
                uint deviation = ReadUInt32(data, offset + (4 * (featureCount + f)));
                if (!IsFinite(mean))
                {
                    return Malformed($"the mean of feature {f} in its standardizer is {Format(mean)}; it must be finite");
                }

                if (!IsFinite(deviation) || deviation == 0 || (deviation & 0x80000000u) != 0)
                {
                    return Malformed($"the standard deviation of feature {f} in its standardizer is {Format(deviation)}; it must be finite and positive");
                }
            }

            offset += 8 * featureCount;
        }

        if (offset != body)
        {
            return Malformed($"its contents end at byte {offset} but its header declares {length} bytes");
        }

        // In place of the comparison with a declared network (steps 9 and 10): the architecture the text describes.
        if (!ArchitectureText.TryParse(architecture, out int inputs, out EquatableArray<LayerSpec> layers, out LossKind loss, out problem))
        {
            return ImportedNetwork.Corrupt(
                $"the file's architecture text {ArchitectureText.Quote(architecture)} is invalid: {problem} (the canonical form is {ArchitectureText.CanonicalForm})");
        }

        if (featureCount >= 0 && featureCount != inputs)
        {
            return Malformed($"its standardizer has {featureCount} features but its architecture has {inputs} inputs");
        }

        long expected = 0;
        foreach (LayerSpec layer in layers)
        {
            expected += layer.ParameterCount;
        }

        if (parameterCount != expected)
        {
            return ImportedNetwork.Corrupt(
                $"the file holds {parameterCount} parameters, but its architecture {ArchitectureText.Quote(architecture)} has {expected}");
        }

        // 11. Finite parameters.
        float[] parameters = new float[parameterCount];
        for (int i = 0; i < parameters.Length; i++)
        {
            uint bits = ReadUInt32(data, parametersOffset + (4 * i));
            if (!IsFinite(bits))
            {
                return ImportedNetwork.Corrupt($"the file is not usable: parameter {i} of {parameterCount} is {Format(bits)}");
            }

            parameters[i] = BitConverter.ToSingle(BitConverter.GetBytes(bits), 0);
        }

        return new ImportedNetwork(null, inputs, layers, new EquatableArray<float>(parameters), loss)
        {
            InputMeans = Floats(data, standardizerOffset, featureCount),
            InputStandardDeviations = Floats(data, standardizerOffset + (4 * featureCount), featureCount),
        };
    }

    /// <summary>The <paramref name="count"/> floats at <paramref name="offset"/>; empty when there is no block (offset -1).</summary>
    private static EquatableArray<float> Floats(byte[] data, int offset, int count)
    {
        if (offset < 0)
        {
            return EquatableArray<float>.Empty;
        }

        float[] values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = BitConverter.ToSingle(data, offset + (4 * i)); // little-endian, as the whole reader assumes
        }

        return new EquatableArray<float>(values);
    }

    private static bool StartsWithMagic(byte[] data)
    {
        int compared = Math.Min(data.Length, Magic.Length);
        for (int i = 0; i < compared; i++)
        {
            if (data[i] != Magic[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads a 32-bit count of items of <paramref name="itemSize"/> bytes and checks that they fit before <paramref name="body"/>.</summary>
    private static bool ReadCount(byte[] data, int body, ref int offset, int itemSize, string items, out int count, out string? problem)
    {
        count = 0;
        if (body - offset < 4)
        {
            problem = $"it ends before the count of its {items}";
            return false;
        }

        uint value = ReadUInt32(data, offset);
        offset += 4;
        if ((ulong)value * (ulong)itemSize > (ulong)(body - offset))
        {
            problem = $"it declares {value} {items}, more than its remaining {body - offset} bytes hold";
            return false;
        }

        count = (int)value;
        problem = null;
        return true;
    }

    private static int ReadUInt16(byte[] data, int offset) => data[offset] | (data[offset + 1] << 8);

    private static uint ReadUInt32(byte[] data, int offset) =>
        (uint)(data[offset] | (data[offset + 1] << 8) | (data[offset + 2] << 16) | (data[offset + 3] << 24));

    /// <summary>Whether the binary32 with these bits is finite (its exponent is not all ones); netstandard2.0 has no <c>float.IsFinite</c>.</summary>
    private static bool IsFinite(uint bits) => (bits & 0x7F800000u) != 0x7F800000u;

    /// <summary>A binary32 for a message, the same on every framework.</summary>
    private static string Format(uint bits)
    {
        if (!IsFinite(bits))
        {
            return (bits & 0x007FFFFFu) != 0 ? "NaN" : (bits & 0x80000000u) != 0 ? "-Infinity" : "Infinity";
        }

        if ((bits & 0x7FFFFFFFu) == 0)
        {
            return (bits & 0x80000000u) != 0 ? "-0" : "0";
        }

        return BitConverter.ToSingle(BitConverter.GetBytes(bits), 0).ToString("R", CultureInfo.InvariantCulture);
    }

    private static ImportedNetwork Malformed(string problem) =>
        ImportedNetwork.Corrupt($"the file is malformed although its checksums match: {problem}; it was not written by NetGen's WeightFile");
}
