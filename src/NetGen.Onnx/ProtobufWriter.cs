using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace NetGen.Onnx;

/// <summary>
/// The little of the Protocol Buffers wire format an ONNX model needs: varints, 32-bit floats and length-delimited
/// fields (strings, bytes, nested messages). Fields are written in the order they are called; a nested message is
/// built in its own writer and embedded with <see cref="Message"/>.
/// </summary>
internal sealed class ProtobufWriter
{
    private const int VarintWireType = 0;
    private const int LengthDelimitedWireType = 2;
    private const int Fixed32WireType = 5;

    private readonly MemoryStream _stream = new();

    /// <summary>An <c>int32</c>/<c>int64</c>/enum field.</summary>
    public ProtobufWriter Int64(int field, long value)
    {
        Tag(field, VarintWireType);
        Varint(unchecked((ulong)value)); // negative values take ten bytes, as protobuf's int64 encoding does
        return this;
    }

    /// <summary>A <c>float</c> field.</summary>
    public ProtobufWriter Float(int field, float value)
    {
        Tag(field, Fixed32WireType);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _stream.Write(bytes);
        return this;
    }

    /// <summary>A <c>string</c> field (UTF-8).</summary>
    public ProtobufWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A <c>bytes</c> field.</summary>
    public ProtobufWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimitedWireType);
        Varint((ulong)value.Length);
        _stream.Write(value);
        return this;
    }

    /// <summary>An embedded message field.</summary>
    public ProtobufWriter Message(int field, ProtobufWriter message) => Bytes(field, message.ToArray());

    /// <summary>The encoded message.</summary>
    public byte[] ToArray() => _stream.ToArray();

    private void Tag(int field, int wireType) => Varint(((ulong)field << 3) | (uint)wireType);

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _stream.WriteByte((byte)value);
    }
}
