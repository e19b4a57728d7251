using System;
using System.IO;

namespace NetGen.Serialization;

/// <summary>Why a weight file was rejected (<see cref="WeightFileException.Reason"/>).</summary>
public enum WeightFileError
{
    /// <summary>The data does not start with the weight-file magic bytes: it is some other kind of file.</summary>
    NotAWeightFile,

    /// <summary>The data ends before the length its header declares (or before the header itself ends).</summary>
    Truncated,

    /// <summary>A checksum does not match, or bytes follow the declared end: the data was damaged after it was written.</summary>
    Corrupt,

    /// <summary>The header is intact but declares a format version (or flags) this library does not read.</summary>
    UnsupportedVersion,

    /// <summary>The checksums match but the contents are inconsistent: the file was not written by <see cref="WeightFile"/>.</summary>
    Malformed,

    /// <summary>The file holds weights for a different architecture than the network being loaded.</summary>
    ArchitectureMismatch,

    /// <summary>The architecture matches but the parameter count does not.</summary>
    ParameterCountMismatch,

    /// <summary>A stored parameter is NaN or infinite.</summary>
    NonFiniteParameter,
}

/// <summary>
/// A weight file (or buffer) was rejected by <see cref="WeightFile"/>. Nothing was loaded: the network's parameters
/// are as they were before the call. <see cref="Reason"/> says why, the message says it in words.
/// </summary>
/// <remarks>
/// It derives from <see cref="IOException"/> (<see cref="InvalidDataException"/> is sealed), so code that handles
/// "could not load the model" as an I/O failure catches it along with missing files and read errors.
/// </remarks>
public sealed class WeightFileException : IOException
{
    /// <summary>Creates an exception for <paramref name="reason"/> with a descriptive message.</summary>
    /// <param name="reason">Why the file was rejected.</param>
    /// <param name="message">What was wrong, in words.</param>
    /// <param name="fileArchitecture">The architecture the file is for, when it could be read.</param>
    /// <param name="expectedArchitecture">The architecture of the network being loaded.</param>
    public WeightFileException(WeightFileError reason, string message, string? fileArchitecture = null, string? expectedArchitecture = null)
        : base(message)
    {
        Reason = reason;
        FileArchitecture = fileArchitecture;
        ExpectedArchitecture = expectedArchitecture;
    }

    /// <summary>Why the file was rejected.</summary>
    public WeightFileError Reason { get; }

    /// <summary>The architecture text stored in the file, when it could be read (its checksums matched); otherwise null.</summary>
    public string? FileArchitecture { get; }

    /// <summary>The architecture of the network being loaded (<see cref="INetwork.Architecture"/>), when known.</summary>
    public string? ExpectedArchitecture { get; }
}
