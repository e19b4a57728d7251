using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.Text;
using NetGen.Data;

namespace NetGen.Serialization;

/// <summary>
/// Saves and loads a network's parameters, and optionally the <see cref="Standardizer"/> its inputs need, in NetGen's
/// little-endian binary weight format (specified in <c>docs/weights-format.md</c>).
/// </summary>
/// <remarks>
/// <para>
/// A file records the network's <see cref="INetwork.Architecture"/> text, so weights load only into a network of
/// the same architecture, and two CRC-32 checksums, one over the header and one over the whole file.
/// </para>
/// <para>
/// Loading validates everything (length, magic bytes, version, both checksums, structure, architecture, parameter
/// count, finiteness) before it writes a single parameter. Any problem throws a <see cref="WeightFileException"/>
/// whose <see cref="WeightFileException.Reason"/> and message say what was wrong, and the network keeps the weights it
/// had. NaN and infinite parameters are refused in both directions: saving throws an <see cref="ArgumentException"/>
/// (a diverged network is not worth keeping), loading throws with <see cref="WeightFileError.NonFiniteParameter"/>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// // After training:
/// WeightFile.SaveFile(network, "iris.ngw", standardizer);
///
/// // In the application:
/// var network = new IrisNet();
/// Standardizer? standardizer = WeightFile.LoadFile(network, "iris.ngw");
/// standardizer?.Apply(input);
/// int species = network.Predict(input);
/// </code>
/// </example>
public static class WeightFile
{
    /// <summary>The format version this library writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The size in bytes of the fixed header: magic, version, flags, length and header CRC.</summary>
    public const int HeaderSize = 24;

    private const int MagicSize = 8;
    private const int VersionOffset = 8;
    private const int FlagsOffset = 10;
    private const int LengthOffset = 12;
    private const int HeaderCrcOffset = 20;
    private const int ChecksumSize = 4;
    private const ushort StandardizerFlag = 1;

    /// <summary>The smallest possible file: header, empty architecture, no parameters, checksum.</summary>
    private const int MinimumSize = HeaderSize + 4 + 4 + ChecksumSize;

    private const int InitialReadChunk = 1 << 16;

    /// <summary>The first eight bytes of every weight file: <c>89 4E 47 57 0D 0A 1A 0A</c> (<c>\x89NGW\r\n\x1A\n</c>).</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'N', (byte)'G', (byte)'W', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// The weight file of <paramref name="network"/>'s parameters, and of <paramref name="standardizer"/> if given, as
    /// bytes (for embedding as a resource, or sending elsewhere).
    /// </summary>
    /// <param name="network">The network whose <see cref="INetwork.Parameters"/> are saved.</param>
    /// <param name="standardizer">The input standardizer to save with the weights, or null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// A parameter is NaN or infinite, or <paramref name="standardizer"/> does not have <c>TNet.InputCount</c> features.
    /// </exception>
    public static byte[] Serialize<TNet>(TNet network, Standardizer? standardizer = null)
        where TNet : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ReadOnlySpan<float> parameters = network.Parameters;
        Guard.Length(parameters, TNet.ParameterCount, "network.Parameters");
        for (int i = 0; i < parameters.Length; i++)
        {
            if (!float.IsFinite(parameters[i]))
            {
                throw new ArgumentException(
                    $"Parameter {i} of the network is {parameters[i].ToString(CultureInfo.InvariantCulture)}; weights that are not finite are not saved.", nameof(network));
            }
        }

        if (standardizer is not null && standardizer.FeatureCount != TNet.InputCount)
        {
            throw new ArgumentException(
                $"The standardizer has {standardizer.FeatureCount} features but the network has {TNet.InputCount} inputs.", nameof(standardizer));
        }

        byte[] architecture = Encoding.UTF8.GetBytes(TNet.Architecture);
        int architectureEnd = HeaderSize + 4 + architecture.Length;
        int parametersOffset = Align4(architectureEnd) + 4;
        long length = parametersOffset + (4L * parameters.Length)
            + (standardizer is null ? 0 : 4 + (8L * standardizer.FeatureCount)) + ChecksumSize;
        if (length > Array.MaxLength)
        {
            throw new ArgumentException($"The network's weight file would take {length} bytes, more than one array can hold.", nameof(network));
        }

        byte[] file = new byte[length];
        Span<byte> span = file;
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[VersionOffset..], FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(span[FlagsOffset..], standardizer is null ? (ushort)0 : StandardizerFlag);
        BinaryPrimitives.WriteUInt64LittleEndian(span[LengthOffset..], (ulong)length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[HeaderCrcOffset..], Crc32.Compute(span[..HeaderCrcOffset]));
        BinaryPrimitives.WriteUInt32LittleEndian(span[HeaderSize..], (uint)architecture.Length);
        architecture.CopyTo(span[(HeaderSize + 4)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(parametersOffset - 4)..], (uint)parameters.Length);
        int offset = WriteFloats(span, parametersOffset, parameters);
        if (standardizer is not null)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], (uint)standardizer.FeatureCount);
            offset = WriteFloats(span, offset + 4, standardizer.Means);
            offset = WriteFloats(span, offset, standardizer.StandardDeviations);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], Crc32.Compute(span[..offset]));
        return file;
    }

    /// <summary>Writes the weight file of <paramref name="network"/> (and of <paramref name="standardizer"/>, if given) to <paramref name="stream"/>.</summary>
    /// <param name="network">The network whose <see cref="INetwork.Parameters"/> are saved.</param>
    /// <param name="stream">The stream to write to, from its current position; it is not closed.</param>
    /// <param name="standardizer">The input standardizer to save with the weights, or null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// A parameter is NaN or infinite, or <paramref name="standardizer"/> does not have <c>TNet.InputCount</c> features.
    /// Nothing has been written.
    /// </exception>
    /// <example>
    /// <code>
    /// using var stream = new MemoryStream();
    /// WeightFile.Save(network, stream, standardizer);
    /// </code>
    /// </example>
    public static void Save<TNet>(TNet network, Stream stream, Standardizer? standardizer = null)
        where TNet : INetwork
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Serialize(network, standardizer));
    }

    /// <summary>
    /// Writes the weight file of <paramref name="network"/> (and of <paramref name="standardizer"/>, if given) to
    /// <paramref name="path"/> atomically (see <see cref="AtomicFile"/>): an existing file is replaced only once the
    /// new one is completely on disk, and is left as it was if saving fails.
    /// </summary>
    /// <param name="network">The network whose <see cref="INetwork.Parameters"/> are saved.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="standardizer">The input standardizer to save with the weights, or null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="path"/> is empty or names a directory, a parameter is NaN or infinite, or
    /// <paramref name="standardizer"/> does not have <c>TNet.InputCount</c> features.
    /// </exception>
    /// <exception cref="IOException">The file could not be written; an existing file is unchanged.</exception>
    /// <example>
    /// <code>
    /// WeightFile.SaveFile(network, "model.ngw", standardizer);
    /// </code>
    /// </example>
    public static void SaveFile<TNet>(TNet network, string path, Standardizer? standardizer = null)
        where TNet : INetwork
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, Serialize(network, standardizer));
    }

    /// <summary>
    /// Loads a weight file held in memory into <paramref name="network"/>'s parameters, after checking all of it.
    /// <paramref name="data"/> must be exactly one weight file.
    /// </summary>
    /// <param name="network">The network whose <see cref="INetwork.Parameters"/> are overwritten.</param>
    /// <param name="data">The file's bytes.</param>
    /// <returns>The standardizer saved with the weights, or null if there is none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="WeightFileException">The data was rejected; the network is unchanged.</exception>
    public static Standardizer? Load<TNet>(TNet network, ReadOnlySpan<byte> data)
        where TNet : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        return Load(network, data, source: null);
    }

    /// <summary>
    /// Reads one weight file from <paramref name="stream"/> (from its current position) and loads it into
    /// <paramref name="network"/>'s parameters after checking all of it. The whole file is read into memory first;
    /// the stream is left just after it (anything that follows is not read) and is not closed.
    /// </summary>
    /// <param name="network">The network whose <see cref="INetwork.Parameters"/> are overwritten.</param>
    /// <param name="stream">The stream to read.</param>
    /// <returns>The standardizer saved with the weights, or null if there is none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="stream"/> is null.</exception>
    /// <exception cref="WeightFileException">The data was rejected; the network is unchanged.</exception>
    /// <example>
    /// <code>
    /// using Stream stream = typeof(Program).Assembly.GetManifestResourceStream("App.model.ngw")!;
    /// Standardizer? standardizer = WeightFile.Load(network, stream);
    /// </code>
    /// </example>
    public static Standardizer? Load<TNet>(TNet network, Stream stream)
        where TNet : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        byte[] file = ReadOneFile(stream);
        return Load(network, file, source: null);
    }

    /// <summary>
    /// Loads the weight file at <paramref name="path"/> into <paramref name="network"/>'s parameters after checking
    /// all of it; the file must hold exactly one weight file. Error messages name the path.
    /// </summary>
    /// <param name="network">The network whose <see cref="INetwork.Parameters"/> are overwritten.</param>
    /// <param name="path">The file to read.</param>
    /// <returns>The standardizer saved with the weights, or null if there is none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="WeightFileException">The file was rejected; the network is unchanged.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <example>
    /// <code>
    /// var network = new IrisNet();
    /// Standardizer standardizer = WeightFile.LoadFile(network, "iris.ngw")
    ///     ?? throw new InvalidDataException("iris.ngw was saved without its standardizer.");
    /// </code>
    /// </example>
    public static Standardizer? LoadFile<TNet>(TNet network, string path)
        where TNet : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] file = File.ReadAllBytes(path);
        return Load(network, file, path);
    }

    private static Standardizer? Load<TNet>(TNet network, ReadOnlySpan<byte> data, string? source)
        where TNet : INetwork
    {
        string what = source is null ? "The weight data" : $"'{source}'";
        long length = CheckHeader(data, what);
        if (data.Length < length)
        {
            throw new WeightFileException(
                WeightFileError.Truncated, $"{what} is truncated: it has {data.Length} bytes but its header declares {length}.");
        }

        if (data.Length > length)
        {
            throw new WeightFileException(
                WeightFileError.Corrupt, $"{what} is corrupt: {data.Length - length} unexpected bytes follow the {length} bytes its header declares.");
        }

        int checksumOffset = data.Length - ChecksumSize;
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(data[checksumOffset..]);
        uint computed = Crc32.Compute(data[..checksumOffset]);
        if (stored != computed)
        {
            throw new WeightFileException(
                WeightFileError.Corrupt, $"{what} is corrupt: its checksum is 0x{stored:X8} but its contents give 0x{computed:X8}.");
        }

        // From here on the bytes are as written; what remains to check is that the writer wrote something consistent
        // and meant for this network.
        ReadOnlySpan<byte> body = data[..checksumOffset];
        int offset = HeaderSize;
        int architectureLength = ReadCount(body, ref offset, 1, what, "bytes of architecture text");
        string architecture;
        try
        {
            architecture = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body.Slice(offset, architectureLength));
        }
        catch (DecoderFallbackException)
        {
            throw Malformed(what, "its architecture text is not valid UTF-8");
        }

        offset += architectureLength;
        for (; offset % 4 != 0; offset++)
        {
            if (offset >= body.Length || body[offset] != 0)
            {
                throw Malformed(what, "the padding after its architecture text is not zero");
            }
        }

        if (architecture != TNet.Architecture)
        {
            throw new WeightFileException(
                WeightFileError.ArchitectureMismatch,
                $"{what} holds weights for the architecture '{architecture}', but this network is '{TNet.Architecture}'.",
                architecture,
                TNet.Architecture);
        }

        int parameterCount = ReadCount(body, ref offset, 4, what, "parameters");
        if (parameterCount != TNet.ParameterCount)
        {
            throw new WeightFileException(
                WeightFileError.ParameterCountMismatch,
                $"{what} holds {parameterCount} parameters for '{architecture}', but this network has {TNet.ParameterCount}.",
                architecture,
                TNet.Architecture);
        }

        float[] parameters = ReadFloats(body, ref offset, parameterCount);
        for (int i = 0; i < parameters.Length; i++)
        {
            if (!float.IsFinite(parameters[i]))
            {
                throw new WeightFileException(
                    WeightFileError.NonFiniteParameter, $"{what} is not usable: parameter {i} is {parameters[i].ToString(CultureInfo.InvariantCulture)}.", architecture, TNet.Architecture);
            }
        }

        Standardizer? standardizer = null;
        if ((BinaryPrimitives.ReadUInt16LittleEndian(data[FlagsOffset..]) & StandardizerFlag) != 0)
        {
            int featureCount = ReadCount(body, ref offset, 8, what, "standardizer features");
            if (featureCount != TNet.InputCount)
            {
                throw Malformed(what, $"its standardizer has {featureCount} features but the network has {TNet.InputCount} inputs");
            }

            float[] means = ReadFloats(body, ref offset, featureCount);
            float[] deviations = ReadFloats(body, ref offset, featureCount);
            try
            {
                standardizer = new Standardizer(means, deviations);
            }
            catch (ArgumentException exception)
            {
                throw Malformed(what, $"its standardizer is invalid ({exception.Message})");
            }
        }

        if (offset != body.Length)
        {
            throw Malformed(what, $"its contents end at byte {offset} but its header declares {length} bytes");
        }

        parameters.CopyTo(network.Parameters);
        return standardizer;
    }

    /// <summary>Checks the fixed header (magic, header CRC, version, flags, declared length) and returns the declared length.</summary>
    private static long CheckHeader(ReadOnlySpan<byte> data, string what)
    {
        ReadOnlySpan<byte> magic = Magic;
        int compared = Math.Min(data.Length, MagicSize);
        if (!data[..compared].SequenceEqual(magic[..compared]))
        {
            throw new WeightFileException(
                WeightFileError.NotAWeightFile,
                $"{what} is not a NetGen weight file: it does not start with the magic bytes 89 4E 47 57 0D 0A 1A 0A.");
        }

        if (data.Length < HeaderSize)
        {
            throw new WeightFileException(
                WeightFileError.Truncated,
                data.Length == 0
                    ? $"{what} is empty."
                    : $"{what} is truncated: it has {data.Length} bytes, fewer than the {HeaderSize}-byte header.");
        }

        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(data[HeaderCrcOffset..]);
        uint computed = Crc32.Compute(data[..HeaderCrcOffset]);
        if (stored != computed)
        {
            throw new WeightFileException(
                WeightFileError.Corrupt, $"{what} is corrupt: its header checksum is 0x{stored:X8} but the header gives 0x{computed:X8}.");
        }

        int version = BinaryPrimitives.ReadUInt16LittleEndian(data[VersionOffset..]);
        if (version != FormatVersion)
        {
            throw new WeightFileException(
                WeightFileError.UnsupportedVersion,
                $"{what} is in weight-file format version {version}; this version of NetGen reads version {FormatVersion}.");
        }

        int flags = BinaryPrimitives.ReadUInt16LittleEndian(data[FlagsOffset..]);
        if ((flags & ~StandardizerFlag) != 0)
        {
            throw new WeightFileException(
                WeightFileError.UnsupportedVersion,
                $"{what} sets flags 0x{flags:X4}, of which only 0x{StandardizerFlag:X4} is defined in format version {FormatVersion}.");
        }

        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(data[LengthOffset..]);
        if (length < MinimumSize || length > (ulong)Array.MaxLength)
        {
            throw Malformed(what, $"its header declares a length of {length} bytes, outside [{MinimumSize}, {Array.MaxLength}]");
        }

        return (long)length;
    }

    /// <summary>Reads a 32-bit count of items of <paramref name="itemSize"/> bytes and checks that they fit in the rest of <paramref name="body"/>.</summary>
    private static int ReadCount(ReadOnlySpan<byte> body, ref int offset, int itemSize, string what, string items)
    {
        if (body.Length - offset < 4)
        {
            throw Malformed(what, $"it ends before the count of its {items}");
        }

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(body[offset..]);
        offset += 4;
        if ((ulong)count * (ulong)itemSize > (ulong)(body.Length - offset))
        {
            throw Malformed(what, $"it declares {count} {items}, more than its remaining {body.Length - offset} bytes hold");
        }

        return (int)count;
    }

    private static float[] ReadFloats(ReadOnlySpan<byte> body, ref int offset, int count)
    {
        float[] values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(body[offset..]);
            offset += 4;
        }

        return values;
    }

    private static int WriteFloats(Span<byte> file, int offset, ReadOnlySpan<float> values)
    {
        foreach (float value in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(file[offset..], value);
            offset += 4;
        }

        return offset;
    }

    private static int Align4(int offset) => (offset + 3) & ~3;

    private static WeightFileException Malformed(string what, string problem)
        => new(WeightFileError.Malformed, $"{what} is malformed although its checksums match: {problem}. It was not written by NetGen's WeightFile.");

    /// <summary>Reads the header, then exactly the length it declares, growing the buffer as data arrives.</summary>
    private static byte[] ReadOneFile(Stream stream)
    {
        byte[] header = new byte[HeaderSize];
        int read = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        long length = CheckHeader(header.AsSpan(0, read), "The weight data");
        if (stream.CanSeek && stream.Length - stream.Position < length - HeaderSize)
        {
            throw new WeightFileException(
                WeightFileError.Truncated,
                $"The weight data is truncated: it has {HeaderSize + stream.Length - stream.Position} bytes but its header declares {length}.");
        }

        byte[] buffer = new byte[Math.Min(length, InitialReadChunk)];
        header.CopyTo(buffer, 0);
        int filled = HeaderSize;
        while (filled < length)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(length, 2L * buffer.Length));
            }

            int count = stream.Read(buffer, filled, buffer.Length - filled);
            if (count == 0)
            {
                throw new WeightFileException(
                    WeightFileError.Truncated, $"The weight data is truncated: it has {filled} bytes but its header declares {length}.");
            }

            filled += count;
        }

        return buffer;
    }
}
