using System;

namespace NetGen.Shared;

/// <summary>
/// CRC-32 as in IEEE 802.3, zlib, PNG and ZIP (reflected polynomial <c>0xEDB88320</c>, initial value and final XOR
/// <c>0xFFFFFFFF</c>), the checksum of NetGen's weight files. The CRC of the ASCII bytes <c>123456789</c> is
/// <c>0xCBF43926</c>. Shared source (src/Shared): the runtime's public <c>NetGen.Serialization.Crc32</c> and the
/// generator's weight-file reader both compute it here.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = CreateTable();

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>
    /// The CRC-32 of the data whose CRC-32 is <paramref name="crc"/> followed by <paramref name="data"/>; start from 0
    /// for the empty data.
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
