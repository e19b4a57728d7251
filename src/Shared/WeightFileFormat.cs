using System;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace NetGen.Shared;

/// <summary>
/// Why a weight file was rejected before it was compared with a network: the runtime maps it to its
/// <c>WeightFileError</c> of the same name, the generator to a corrupt model file.
/// </summary>
internal enum WeightFileFault
{
    /// <summary>The data does not start with the magic bytes.</summary>
    NotAWeightFile,

    /// <summary>The data is empty, or ends before its header or its declared length.</summary>
    Truncated,

    /// <summary>A checksum does not match, or bytes follow the declared end.</summary>
    Corrupt,

    /// <summary>An intact header declares a version or flags this reader does not know.</summary>
    UnsupportedVersion,

    /// <summary>The checksums match but the contents are inconsistent: some other writer produced the file.</summary>
    Malformed,
}

/// <summary>A rejected weight file: the kind of problem and a clause that says what it is.</summary>
/// <remarks>
/// The clause (<see cref="Predicate"/>) is what follows the file's name in a sentence, without a final period, e.g.
/// <c>is truncated: it has 10 bytes, fewer than the 24-byte header</c>: each side frames it with its own subject
/// (the runtime: <c>'model.ngw'</c> or <c>The weight data</c>; the generator: <c>the file</c>).
/// </remarks>
internal readonly struct WeightFileProblem
{
    public WeightFileProblem(WeightFileFault fault, string predicate)
    {
        Fault = fault;
        Predicate = predicate;
    }

    public WeightFileFault Fault { get; }

    public string Predicate { get; }

    /// <summary>Contents behind valid checksums that no writer of this format produces.</summary>
    public static WeightFileProblem Malformed(string inconsistency)
        => new(WeightFileFault.Malformed, "is malformed although its checksums match: " + inconsistency);

    /// <summary>Data shorter than the length its header declares.</summary>
    public static WeightFileProblem Truncated(long length, long declared)
        => new(WeightFileFault.Truncated, $"is truncated: it has {length} bytes but its header declares {declared}");
}

/// <summary>What a weight file holds, once <see cref="WeightFileFormat.TryRead"/> has checked its framing and structure.</summary>
internal readonly struct WeightFileContents
{
    public WeightFileContents(string architecture, float[] parameters, float[]? means, float[]? standardDeviations)
    {
        Architecture = architecture;
        Parameters = parameters;
        Means = means;
        StandardDeviations = standardDeviations;
    }

    /// <summary>The architecture text, decoded from strict UTF-8 but not parsed.</summary>
    public string Architecture { get; }

    /// <summary>The parameters, bit for bit; they may still be NaN or infinite (<see cref="WeightFileFormat.IndexOfNonFinite"/>).</summary>
    public float[] Parameters { get; }

    /// <summary>The standardizer's means (at least one, all finite), or null when the file has no standardizer.</summary>
    public float[]? Means { get; }

    /// <summary>The standardizer's standard deviations (finite and positive), or null when the file has no standardizer.</summary>
    public float[]? StandardDeviations { get; }
}

/// <summary>
/// NetGen's weight-file format (docs/weights-format.md): its layout, and steps 1 to 8 of its "Reading" section, which
/// need nothing but the file. Steps 9 to 11 compare the file with a network, which the runtime and the generator each
/// know differently, so they do them themselves.
/// </summary>
/// <remarks>
/// Shared source (src/Shared), compiled into the runtime (netX) and the generator (netstandard2.0): the two read the
/// same files, so they check them with the same code and report the same clauses. Never throws on bad data.
/// </remarks>
internal static class WeightFileFormat
{
    /// <summary>The format version written and read.</summary>
    public const int FormatVersion = 1;

    /// <summary>The size in bytes of the fixed header: magic, version, flags, length and header CRC.</summary>
    public const int HeaderSize = 24;

    public const int MagicSize = 8;
    public const int VersionOffset = 8;
    public const int FlagsOffset = 10;
    public const int LengthOffset = 12;
    public const int HeaderCrcOffset = 20;
    public const int ChecksumSize = 4;

    /// <summary>Flag bit 0: a standardizer follows the parameters.</summary>
    public const ushort StandardizerFlag = 1;

    /// <summary>The smallest possible file: header, empty architecture, no parameters, checksum.</summary>
    public const int MinimumSize = HeaderSize + 4 + 4 + ChecksumSize;

    /// <summary>The largest file: .NET's <c>Array.MaxLength</c>, a constant here because netstandard2.0 lacks it.</summary>
    public const int MaximumSize = 0x7FFFFFC7;

    private const string MagicText = "89 4E 47 57 0D 0A 1A 0A";

    /// <summary>The first eight bytes of every weight file: <c>\x89NGW\r\n\x1A\n</c>.</summary>
    public static ReadOnlySpan<byte> Magic => new byte[] { 0x89, 0x4E, 0x47, 0x57, 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>Whether <paramref name="data"/> starts with the magic bytes, or is a prefix of them (a truncated weight file).</summary>
    public static bool StartsWithMagic(ReadOnlySpan<byte> data)
    {
        int compared = Math.Min(data.Length, MagicSize);
        return data.Slice(0, compared).SequenceEqual(Magic.Slice(0, compared));
    }

    /// <summary>
    /// Steps 1 to 5: the magic, a complete header, its CRC, the version and flags, a plausible declared length. Reading
    /// from a stream needs only these before it knows how much to read.
    /// </summary>
    /// <param name="data">The file, or at least its first <see cref="HeaderSize"/> bytes.</param>
    /// <param name="length">The declared length, within [<see cref="MinimumSize"/>, <see cref="MaximumSize"/>].</param>
    /// <param name="problem">Why the header was rejected.</param>
    /// <returns>True when the header is valid.</returns>
    public static bool TryReadHeader(ReadOnlySpan<byte> data, out int length, out WeightFileProblem problem)
    {
        length = 0;

        // 1. The magic, or a prefix of it for shorter data, so that a truncated weight file is reported as truncated.
        if (!StartsWithMagic(data))
        {
            problem = new(WeightFileFault.NotAWeightFile, $"is not a NetGen weight file: it does not start with the magic bytes {MagicText}");
            return false;
        }

        // 2. A complete header.
        if (data.Length < HeaderSize)
        {
            problem = new(WeightFileFault.Truncated, data.Length == 0
                ? "is empty"
                : $"is truncated: it has {data.Length} bytes, fewer than the {HeaderSize}-byte header");
            return false;
        }

        // 3. The header CRC; from here on the header's fields can be trusted, so damage is never taken for a newer version.
        uint storedHeaderCrc = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(HeaderCrcOffset));
        uint headerCrc = Crc32.Compute(data.Slice(0, HeaderCrcOffset));
        if (storedHeaderCrc != headerCrc)
        {
            problem = new(WeightFileFault.Corrupt, $"is corrupt: its header checksum is 0x{storedHeaderCrc:X8} but the header gives 0x{headerCrc:X8}");
            return false;
        }

        // 4. Version and flags.
        int version = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(VersionOffset));
        if (version != FormatVersion)
        {
            problem = new(WeightFileFault.UnsupportedVersion, $"is in weight-file format version {version}; this version of NetGen reads version {FormatVersion}");
            return false;
        }

        int flags = BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(FlagsOffset));
        if ((flags & ~StandardizerFlag) != 0)
        {
            problem = new(WeightFileFault.UnsupportedVersion, $"sets flags 0x{flags:X4}, of which only 0x{StandardizerFlag:X4} is defined in format version {FormatVersion}");
            return false;
        }

        // 5. A plausible declared length.
        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(LengthOffset));
        if (declared < MinimumSize || declared > MaximumSize)
        {
            problem = WeightFileProblem.Malformed($"its header declares a length of {declared} bytes, outside [{MinimumSize}, {MaximumSize}]");
            return false;
        }

        length = (int)declared;
        problem = default;
        return true;
    }

    /// <summary>
    /// Steps 1 to 8: the header (<see cref="TryReadHeader"/>), exactly the declared length, the file CRC, and a
    /// consistent structure: counts that fit, strict UTF-8, zero padding, a standardizer of at least one feature,
    /// contents that end at the file CRC, then the standardizer's values: finite means, finite positive deviations.
    /// </summary>
    /// <param name="data">Exactly one whole file.</param>
    /// <param name="contents">What the file holds; default when it was rejected.</param>
    /// <param name="problem">Why the file was rejected.</param>
    /// <returns>True when the file passed steps 1 to 8.</returns>
    public static bool TryRead(ReadOnlySpan<byte> data, out WeightFileContents contents, out WeightFileProblem problem)
    {
        contents = default;
        if (!TryReadHeader(data, out int length, out problem))
        {
            return false;
        }

        // 6. Exactly the declared length.
        if (data.Length < length)
        {
            problem = WeightFileProblem.Truncated(data.Length, length);
            return false;
        }

        if (data.Length > length)
        {
            problem = new(WeightFileFault.Corrupt, $"is corrupt: {data.Length - length} unexpected bytes follow the {length} bytes its header declares");
            return false;
        }

        // 7. The file CRC; from here on the bytes are as written.
        ReadOnlySpan<byte> body = data.Slice(0, length - ChecksumSize);
        uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(body.Length));
        uint crc = Crc32.Compute(body);
        if (storedCrc != crc)
        {
            problem = new(WeightFileFault.Corrupt, $"is corrupt: its checksum is 0x{storedCrc:X8} but its contents give 0x{crc:X8}");
            return false;
        }

        // 8. A consistent structure: what remains is whether the writer wrote something sensible.
        return TryReadStructure(body, out contents, out problem);
    }

    /// <summary>The index of the first NaN or infinite value, or -1 (step 11).</summary>
    public static int IndexOfNonFinite(float[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A float for a message, the same on every framework: <c>NaN</c>, <c>-Infinity</c>, <c>-0</c>, <c>0.5</c>.</summary>
    public static string Format(float value)
    {
        if (float.IsNaN(value))
        {
            return "NaN";
        }

        if (float.IsInfinity(value))
        {
            return value < 0 ? "-Infinity" : "Infinity";
        }

        if (value == 0)
        {
            return 1 / value < 0 ? "-0" : "0"; // .NET Framework, a generator host, formats -0 as "0"
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Step 8 over the bytes between the header and the file CRC.</summary>
    private static bool TryReadStructure(ReadOnlySpan<byte> body, out WeightFileContents contents, out WeightFileProblem problem)
    {
        contents = default;
        int offset = HeaderSize;
        if (!TryReadCount(body, ref offset, 1, "bytes of architecture text", out int architectureLength, out problem))
        {
            return false;
        }

        if (!TryDecodeUtf8(body.Slice(offset, architectureLength), out string architecture))
        {
            problem = WeightFileProblem.Malformed("its architecture text is not valid UTF-8");
            return false;
        }

        offset += architectureLength;
        for (; offset % 4 != 0; offset++)
        {
            if (offset >= body.Length || body[offset] != 0)
            {
                problem = WeightFileProblem.Malformed("the padding after its architecture text is not zero");
                return false;
            }
        }

        if (!TryReadCount(body, ref offset, 4, "parameters", out int parameterCount, out problem))
        {
            return false;
        }

        float[] parameters = ReadSingles(body, ref offset, parameterCount);
        float[]? means = null;
        float[]? deviations = null;
        if ((BinaryPrimitives.ReadUInt16LittleEndian(body.Slice(FlagsOffset)) & StandardizerFlag) != 0)
        {
            if (!TryReadCount(body, ref offset, 8, "standardizer features", out int featureCount, out problem))
            {
                return false;
            }

            if (featureCount == 0)
            {
                problem = WeightFileProblem.Malformed("its standardizer has no features");
                return false;
            }

            means = ReadSingles(body, ref offset, featureCount);
            deviations = ReadSingles(body, ref offset, featureCount);
        }

        // The layout must add up before any value in it is judged: a wrong count shows here, not as a strange value.
        if (offset != body.Length)
        {
            problem = WeightFileProblem.Malformed($"its contents end at byte {offset} but its header declares {body.Length + ChecksumSize} bytes");
            return false;
        }

        if (means != null && !TryCheckStandardizer(means, deviations!, out problem))
        {
            return false;
        }

        contents = new WeightFileContents(architecture, parameters, means, deviations);
        problem = default;
        return true;
    }

    /// <summary>Finite means and finite positive standard deviations, as <c>NetGen.Data.Standardizer</c> requires.</summary>
    private static bool TryCheckStandardizer(float[] means, float[] deviations, out WeightFileProblem problem)
    {
        for (int f = 0; f < means.Length; f++)
        {
            if (!IsFinite(means[f]))
            {
                problem = WeightFileProblem.Malformed($"the mean of feature {f} in its standardizer is {Format(means[f])}; it must be finite");
                return false;
            }

            if (!(IsFinite(deviations[f]) && deviations[f] > 0))
            {
                problem = WeightFileProblem.Malformed(
                    $"the standard deviation of feature {f} in its standardizer is {Format(deviations[f])}; it must be finite and positive");
                return false;
            }
        }

        problem = default;
        return true;
    }

    /// <summary>Reads a 32-bit count of items of <paramref name="itemSize"/> bytes and checks that they fit in the rest of <paramref name="body"/>.</summary>
    private static bool TryReadCount(ReadOnlySpan<byte> body, ref int offset, int itemSize, string items, out int count, out WeightFileProblem problem)
    {
        count = 0;
        if (body.Length - offset < 4)
        {
            problem = WeightFileProblem.Malformed($"it ends before the count of its {items}");
            return false;
        }

        uint value = BinaryPrimitives.ReadUInt32LittleEndian(body.Slice(offset));
        offset += 4;
        if ((ulong)value * (ulong)itemSize > (ulong)(body.Length - offset))
        {
            problem = WeightFileProblem.Malformed($"it declares {value} {items}, more than its remaining {body.Length - offset} bytes hold");
            return false;
        }

        count = (int)value;
        problem = default;
        return true;
    }

    private static float[] ReadSingles(ReadOnlySpan<byte> body, ref int offset, int count)
    {
        float[] values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ReadSingle(body.Slice(offset));
            offset += 4;
        }

        return values;
    }

    private static float ReadSingle(ReadOnlySpan<byte> data)
    {
#if NET
        return BinaryPrimitives.ReadSingleLittleEndian(data);
#else
        // netstandard2.0 has neither BinaryPrimitives.ReadSingleLittleEndian nor BitConverter.UInt32BitsToSingle.
        return BitConverter.ToSingle(BitConverter.GetBytes(BinaryPrimitives.ReadUInt32LittleEndian(data)), 0);
#endif
    }

    private static bool TryDecodeUtf8(ReadOnlySpan<byte> bytes, out string text)
    {
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        try
        {
#if NET
            text = strict.GetString(bytes);
#else
            text = strict.GetString(bytes.ToArray()); // netstandard2.0 has no span overload
#endif
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }
    }

    private static bool IsFinite(float value) => !float.IsNaN(value) && !float.IsInfinity(value);
}
