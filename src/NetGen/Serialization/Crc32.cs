using System;

namespace NetGen.Serialization;

/// <summary>
/// CRC-32 as in IEEE 802.3, zlib, PNG and ZIP: reflected polynomial <c>0xEDB88320</c>, initial value and final XOR
/// <c>0xFFFFFFFF</c>. Table-driven, one byte per step. The CRC of the ASCII bytes <c>"123456789"</c> is
/// <c>0xCBF43926</c>.
/// </summary>
/// <example>
/// <code>
/// uint crc = Crc32.Compute("123456789"u8); // 0xCBF43926
/// // or in pieces:
/// uint running = Crc32.Append(Crc32.Append(0, "1234"u8), "56789"u8); // also 0xCBF43926
/// </code>
/// </example>
public static class Crc32
{
    // The algorithm is shared with the generator, which checks weight files at compile time (src/Shared/Crc32.cs).

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Shared.Crc32.Compute(data);

    /// <summary>
    /// The CRC-32 of the data whose CRC-32 is <paramref name="crc"/> followed by <paramref name="data"/>; start
    /// from 0 for the empty data.
    /// </summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data) => Shared.Crc32.Append(crc, data);
}
