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
    private static readonly uint[] Table = CreateTable();

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>
    /// The CRC-32 of the data whose CRC-32 is <paramref name="crc"/> followed by <paramref name="data"/>; start
    /// from 0 for the empty data.
    /// </summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint[] table = Table;
        uint c = ~crc;
        foreach (byte b in data)
        {
            c = table[(byte)(c ^ b)] ^ (c >> 8);
        }

        return ~c;
    }

    private static uint[] CreateTable()
    {
        uint[] table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
