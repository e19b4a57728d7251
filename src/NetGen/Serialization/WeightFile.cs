using System;
using System.Buffers.Binary;
using System.Globalization;
using System.IO;
using System.Text;
using NetGen.Data;
using NetGen.Shared;

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
    public const int FormatVersion = WeightFileFormat.FormatVersion;

    /// <summary>The size in bytes of the fixed header: magic, version, flags, length and header CRC.</summary>
    public const int HeaderSize = WeightFileFormat.HeaderSize;

    private const int InitialReadChunk = 1 << 16;

    /// <summary>The first eight bytes of every weight file: <c>89 4E 47 57 0D 0A 1A 0A</c> (<c>\x89NGW\r\n\x1A\n</c>).</summary>
    public static ReadOnlySpan<byte> Magic => WeightFileFormat.Magic;

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
        NetworkShape shape = NetworkShape.Of(network);
        ReadOnlySpan<float> parameters = network.Parameters;
        Guard.Length(parameters, shape.ParameterCount, "network.Parameters");
        for (int i = 0; i < parameters.Length; i++)
        {
            if (!float.IsFinite(parameters[i]))
            {
                throw new ArgumentException(
                    $"Parameter {i} of the network is {parameters[i].ToString(CultureInfo.InvariantCulture)}; weights that are not finite are not saved.", nameof(network));
            }
        }

        if (standardizer is not null && standardizer.FeatureCount != shape.InputCount)
        {
            throw new ArgumentException(
                $"The standardizer has {standardizer.FeatureCount} features but the network has {shape.InputCount} inputs.", nameof(standardizer));
        }

        byte[] architecture = Encoding.UTF8.GetBytes(shape.Architecture);
        int architectureEnd = HeaderSize + 4 + architecture.Length;
        int parametersOffset = Align4(architectureEnd) + 4;
        long length = parametersOffset + (4L * parameters.Length)
            + (standardizer is null ? 0 : 4 + (8L * standardizer.FeatureCount)) + WeightFileFormat.ChecksumSize;
        if (length > Array.MaxLength)
        {
            throw new ArgumentException($"The network's weight file would take {length} bytes, more than one array can hold.", nameof(network));
        }

        byte[] file = new byte[length];
        Span<byte> span = file;
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[WeightFileFormat.VersionOffset..], FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(span[WeightFileFormat.FlagsOffset..], standardizer is null ? (ushort)0 : WeightFileFormat.StandardizerFlag);
        BinaryPrimitives.WriteUInt64LittleEndian(span[WeightFileFormat.LengthOffset..], (ulong)length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[WeightFileFormat.HeaderCrcOffset..], Crc32.Compute(span[..WeightFileFormat.HeaderCrcOffset]));
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

    /// <summary>
    /// Steps 1 to 8 of the format's "Reading" section (shared with the generator, src/Shared/WeightFileFormat.cs), then
    /// those that compare the file with <typeparamref name="TNet"/>: architecture, standardizer width, parameter count,
    /// finite parameters. Only then are the parameters copied.
    /// </summary>
    private static Standardizer? Load<TNet>(TNet network, ReadOnlySpan<byte> data, string? source)
        where TNet : INetwork
    {
        NetworkShape shape = NetworkShape.Of(network);
        string what = source is null ? "The weight data" : $"'{source}'";
        if (!WeightFileFormat.TryRead(data, out WeightFileContents contents, out WeightFileProblem problem))
        {
            throw Rejected(what, problem);
        }

        string architecture = contents.Architecture;
        if (architecture != shape.Architecture)
        {
            throw new WeightFileException(
                WeightFileError.ArchitectureMismatch,
                $"{what} holds weights for the architecture '{architecture}', but this network is '{shape.Architecture}'.",
                architecture,
                shape.Architecture);
        }

        if (contents.Means is { } means && means.Length != shape.InputCount)
        {
            throw Rejected(what, WeightFileProblem.Malformed($"its standardizer has {means.Length} features but the network has {shape.InputCount} inputs"));
        }

        float[] parameters = contents.Parameters;
        if (parameters.Length != shape.ParameterCount)
        {
            throw new WeightFileException(
                WeightFileError.ParameterCountMismatch,
                $"{what} holds {parameters.Length} parameters for '{architecture}', but this network has {shape.ParameterCount}.",
                architecture,
                shape.Architecture);
        }

        int nonFinite = WeightFileFormat.IndexOfNonFinite(parameters);
        if (nonFinite >= 0)
        {
            throw new WeightFileException(
                WeightFileError.NonFiniteParameter,
                $"{what} is not usable: parameter {nonFinite} is {WeightFileFormat.Format(parameters[nonFinite])}.",
                architecture,
                shape.Architecture);
        }

        // The shared checks guarantee a valid standardizer: at least one feature, finite means, finite positive deviations.
        Standardizer? standardizer = contents.Means is null ? null : new Standardizer(contents.Means, contents.StandardDeviations!);
        parameters.CopyTo(network.Parameters);
        return standardizer;
    }

    /// <summary>The runtime's sentence for a problem the shared checks found, e.g. <c>'a.ngw' is truncated: ... .</c></summary>
    private static WeightFileException Rejected(string what, WeightFileProblem problem)
    {
        WeightFileError reason = problem.Fault switch
        {
            WeightFileFault.NotAWeightFile => WeightFileError.NotAWeightFile,
            WeightFileFault.Truncated => WeightFileError.Truncated,
            WeightFileFault.Corrupt => WeightFileError.Corrupt,
            WeightFileFault.UnsupportedVersion => WeightFileError.UnsupportedVersion,
            _ => WeightFileError.Malformed,
        };
        return new WeightFileException(
            reason,
            reason == WeightFileError.Malformed
                ? $"{what} {problem.Predicate}. It was not written by NetGen's WeightFile."
                : $"{what} {problem.Predicate}.");
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

    /// <summary>Reads the header, then exactly the length it declares, growing the buffer as data arrives.</summary>
    private static byte[] ReadOneFile(Stream stream)
    {
        const string What = "The weight data";
        byte[] header = new byte[HeaderSize];
        int read = stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        if (!WeightFileFormat.TryReadHeader(header.AsSpan(0, read), out int length, out WeightFileProblem problem))
        {
            throw Rejected(What, problem);
        }

        if (stream.CanSeek && stream.Length - stream.Position < length - HeaderSize)
        {
            throw Rejected(What, WeightFileProblem.Truncated(HeaderSize + stream.Length - stream.Position, length));
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
                throw Rejected(What, WeightFileProblem.Truncated(filled, length));
            }

            filled += count;
        }

        return buffer;
    }
}
