namespace NetGen.Generator.WeightFiles;

/// <summary>
/// CRC-32 as in IEEE 802.3, zlib and PNG (reflected polynomial <c>0xEDB88320</c>, initial value and final XOR
/// <c>0xFFFFFFFF</c>), the checksum of NetGen's weight files: the generator's own copy of the runtime's
/// <c>NetGen.Serialization.Crc32</c>, which it cannot reference. The CRC of ASCII <c>123456789</c> is <c>0xCBF43926</c>.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = CreateTable();

    /// <summary>The CRC-32 of <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="start"/>.</summary>
    public static uint Compute(byte[] data, int start, int count)
    {
        uint[] table = Table;
        uint c = 0xFFFFFFFFu;
        for (int i = start; i < start + count; i++)
        {
            c = table[(byte)(c ^ data[i])] ^ (c >> 8);
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
