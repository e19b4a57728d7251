using System;
using System.Text;

namespace NetGen.Generator.Onnx;

/// <summary>Thrown by <see cref="ProtobufReader"/> on a truncated or malformed message; never leaves <see cref="OnnxModelReader.Read"/>.</summary>
internal sealed class OnnxFormatException : Exception
{
    public OnnxFormatException(string message) : base(message) { }
}

/// <summary>
/// A minimal reader of the protobuf wire format (varint, 64-bit, length-delimited, 32-bit) over one message:
/// a window <c>[position, end)</c> of a byte array. Every read checks the window and throws
/// <see cref="OnnxFormatException"/> when the data ends early or is malformed.
/// </summary>
internal struct ProtobufReader
{
    public const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

    private readonly byte[] _data;
    private readonly int _end;
    private int _position;

    public ProtobufReader(byte[] data) : this(data, 0, data.Length) { }

    private ProtobufReader(byte[] data, int start, int end)
    {
        _data = data;
        _position = start;
        _end = end;
    }

    public bool AtEnd => _position >= _end;

    /// <summary>Reads the next field's key; false at the end of the message.</summary>
    public bool TryReadTag(out int field, out int wireType)
    {
        field = 0;
        wireType = 0;
        if (AtEnd)
        {
            return false;
        }

        ulong key = ReadVarint();
        field = (int)(key >> 3);
        wireType = (int)(key & 7);
        if (field <= 0 || key >> 3 > int.MaxValue)
        {
            throw new OnnxFormatException($"invalid field number {key >> 3} (wire type {key & 7}) at byte {_position}");
        }

        return true;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _end)
            {
                throw new OnnxFormatException("the data ends inside a varint");
            }

            byte b = _data[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new OnnxFormatException("a varint is longer than 10 bytes");
    }

    public long ReadInt64() => (long)ReadVarint();

    public uint ReadFixed32()
    {
        Need(4);
        uint value = (uint)(_data[_position] | _data[_position + 1] << 8 | _data[_position + 2] << 16 | _data[_position + 3] << 24);
        _position += 4;
        return value;
    }

    public ulong ReadFixed64()
    {
        ulong low = ReadFixed32();
        ulong high = ReadFixed32();
        return low | high << 32;
    }

    public float ReadFloat() => BitConverter.ToSingle(BitConverter.GetBytes(ReadFixed32()), 0);

    /// <summary>Reads a length-delimited field as a reader over its bytes (an embedded message or packed values).</summary>
    public ProtobufReader ReadMessage()
    {
        int length = ReadLength();
        var inner = new ProtobufReader(_data, _position, _position + length);
        _position += length;
        return inner;
    }

    public byte[] ReadBytes()
    {
        int length = ReadLength();
        var bytes = new byte[length];
        Array.Copy(_data, _position, bytes, 0, length);
        _position += length;
        return bytes;
    }

    public string ReadString()
    {
        int length = ReadLength();
        string value = Encoding.UTF8.GetString(_data, _position, length);
        _position += length;
        return value;
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint: ReadVarint(); break;
            case Fixed64: Need(8); _position += 8; break;
            case LengthDelimited: int length = ReadLength(); _position += length; break; // not "_position += ReadLength()": that reads _position first
            case Fixed32: Need(4); _position += 4; break;
            default: throw new OnnxFormatException($"unsupported wire type {wireType}");
        }
    }

    private int ReadLength()
    {
        ulong length = ReadVarint();
        if (length > (ulong)(_end - _position))
        {
            throw new OnnxFormatException("a length-delimited field runs past the end of its message");
        }

        return (int)length;
    }

    private void Need(int count)
    {
        if (_end - _position < count)
        {
            throw new OnnxFormatException("the data ends inside a fixed-size field");
        }
    }
}
