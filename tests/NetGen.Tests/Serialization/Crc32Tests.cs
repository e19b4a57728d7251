using System.Text;
using NetGen.Serialization;

namespace NetGen.Tests.Serialization;

public sealed class Crc32Tests
{
    [Fact]
    public void Check_value_of_123456789_is_CBF43926() => Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));

    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xE8B7BE43u)]
    [InlineData("abc", 0x352441C2u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void Known_values(string text, uint expected) => Assert.Equal(expected, Crc32.Compute(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void Appending_pieces_gives_the_crc_of_the_whole()
    {
        byte[] data = Encoding.ASCII.GetBytes("123456789");
        for (int split = 0; split <= data.Length; split++)
        {
            Assert.Equal(0xCBF43926u, Crc32.Append(Crc32.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
        }
    }
}
