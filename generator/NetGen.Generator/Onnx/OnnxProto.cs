using System;
using System.Collections.Generic;

namespace NetGen.Generator.Onnx;

// The subset of onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) that importing an MLP needs.
// Field numbers are onnx.proto's; unknown fields are skipped.

internal sealed class OnnxGraph
{
    public List<OnnxNode> Nodes { get; } = new();
    public Dictionary<string, OnnxTensor> Initializers { get; } = new();
    public List<OnnxValueInfo> Inputs { get; } = new();
    public List<OnnxValueInfo> Outputs { get; } = new();

    /// <summary>The version of the default (ai.onnx) operator set the model imports.</summary>
    public long OpsetVersion { get; private set; }

    /// <summary>
    /// ModelProto: ir_version = 1, graph = 7, opset_import = 8 (OperatorSetIdProto: domain = 1, version = 2).
    /// A model must have all three, which also makes most truncations detectable (exporters write opset_import last).
    /// </summary>
    public static OnnxGraph ReadModel(byte[] data)
    {
        var reader = new ProtobufReader(data);
        OnnxGraph? graph = null;
        bool hasIrVersion = false;
        long opset = -1;
        while (reader.TryReadTag(out int field, out int wire))
        {
            if (field == 1 && wire == ProtobufReader.Varint)
            {
                reader.ReadVarint();
                hasIrVersion = true;
            }
            else if (field == 7 && wire == ProtobufReader.LengthDelimited)
            {
                graph = ReadGraph(reader.ReadMessage());
            }
            else if (field == 8 && wire == ProtobufReader.LengthDelimited)
            {
                ProtobufReader set = reader.ReadMessage();
                string domain = "";
                long version = -1;
                while (set.TryReadTag(out int sf, out int sw))
                {
                    if (sf == 1 && sw == ProtobufReader.LengthDelimited) domain = set.ReadString();
                    else if (sf == 2 && sw == ProtobufReader.Varint) version = set.ReadInt64();
                    else set.Skip(sw);
                }

                if (domain.Length == 0 || domain == "ai.onnx")
                {
                    opset = version;
                }
            }
            else
            {
                reader.Skip(wire);
            }
        }

        if (graph == null || !hasIrVersion)
        {
            throw new OnnxFormatException("the file has no ir_version or graph (not an ONNX model, or truncated)");
        }

        if (opset < 1)
        {
            throw new OnnxFormatException("the file imports no version of the default operator set (truncated?)");
        }

        graph.OpsetVersion = opset;
        return graph;
    }

    /// <summary>How deeply graphs may nest (an If's branches are graphs): a corrupt file must not exhaust the stack.</summary>
    private const int MaxGraphDepth = 8;

    [ThreadStatic]
    private static int _depth;

    /// <summary>GraphProto: node = 1, initializer = 5, input = 11, output = 12.</summary>
    internal static OnnxGraph ReadGraph(ProtobufReader reader)
    {
        if (_depth >= MaxGraphDepth)
        {
            throw new OnnxFormatException($"graphs nest more than {MaxGraphDepth} deep");
        }

        _depth++;
        try
        {
            return ReadGraphBody(reader);
        }
        finally
        {
            _depth--;
        }
    }

    private static OnnxGraph ReadGraphBody(ProtobufReader reader)
    {
        var graph = new OnnxGraph();
        while (reader.TryReadTag(out int field, out int wire))
        {
            switch (field)
            {
                case 1 when wire == ProtobufReader.LengthDelimited:
                    graph.Nodes.Add(OnnxNode.Read(reader.ReadMessage()));
                    break;
                case 5 when wire == ProtobufReader.LengthDelimited:
                    OnnxTensor tensor = OnnxTensor.Read(reader.ReadMessage());
                    graph.Initializers[tensor.Name] = tensor;
                    break;
                case 11 when wire == ProtobufReader.LengthDelimited:
                    graph.Inputs.Add(OnnxValueInfo.Read(reader.ReadMessage()));
                    break;
                case 12 when wire == ProtobufReader.LengthDelimited:
                    graph.Outputs.Add(OnnxValueInfo.Read(reader.ReadMessage()));
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return graph;
    }
}

/// <summary>NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5, domain = 7.</summary>
internal sealed class OnnxNode
{
    public List<string> Inputs { get; } = new();
    public List<string> Outputs { get; } = new();
    public string Name { get; private set; } = "";
    public string OpType { get; private set; } = "";
    public string Domain { get; private set; } = "";
    public Dictionary<string, OnnxAttribute> Attributes { get; } = new();

    public static OnnxNode Read(ProtobufReader reader)
    {
        var node = new OnnxNode();
        while (reader.TryReadTag(out int field, out int wire))
        {
            switch (field)
            {
                case 1 when wire == ProtobufReader.LengthDelimited: node.Inputs.Add(reader.ReadString()); break;
                case 2 when wire == ProtobufReader.LengthDelimited: node.Outputs.Add(reader.ReadString()); break;
                case 3 when wire == ProtobufReader.LengthDelimited: node.Name = reader.ReadString(); break;
                case 4 when wire == ProtobufReader.LengthDelimited: node.OpType = reader.ReadString(); break;
                case 7 when wire == ProtobufReader.LengthDelimited: node.Domain = reader.ReadString(); break;
                case 5 when wire == ProtobufReader.LengthDelimited:
                    OnnxAttribute attribute = OnnxAttribute.Read(reader.ReadMessage());
                    node.Attributes[attribute.Name] = attribute;
                    break;
                default: reader.Skip(wire); break;
            }
        }

        return node;
    }

    /// <summary>How messages name this node: its name, or its operator and first output when it has none.</summary>
    public string DisplayName => Name.Length > 0 ? Name : $"{OpType} -> {(Outputs.Count > 0 ? Outputs[0] : "?")}";

    public float Float(string name, float fallback) => Attributes.TryGetValue(name, out OnnxAttribute? a) && a.HasFloat ? a.F : fallback;

    public long Int(string name, long fallback) => Attributes.TryGetValue(name, out OnnxAttribute? a) && a.HasInt ? a.I : fallback;
}

/// <summary>
/// AttributeProto: name = 1, f = 2, i = 3, s = 4, t = 5, g = 6 (an If's branches), floats = 7, ints = 8, strings = 9 (the kinds the supported
/// operators and Constant use).
/// </summary>
internal sealed class OnnxAttribute
{
    public string Name { get; private set; } = "";
    public float F { get; private set; }
    public bool HasFloat { get; private set; }
    public long I { get; private set; }
    public bool HasInt { get; private set; }
    public string? S { get; private set; }
    public OnnxTensor? T { get; private set; }
    public OnnxGraph? G { get; private set; }
    public List<float> Floats { get; } = new();
    public List<long> Ints { get; } = new();
    public List<string> Strings { get; } = new();

    public static OnnxAttribute Read(ProtobufReader reader)
    {
        var attribute = new OnnxAttribute();
        while (reader.TryReadTag(out int field, out int wire))
        {
            switch (field)
            {
                case 1 when wire == ProtobufReader.LengthDelimited: attribute.Name = reader.ReadString(); break;
                case 2 when wire == ProtobufReader.Fixed32: attribute.F = reader.ReadFloat(); attribute.HasFloat = true; break;
                case 3 when wire == ProtobufReader.Varint: attribute.I = reader.ReadInt64(); attribute.HasInt = true; break;
                case 4 when wire == ProtobufReader.LengthDelimited: attribute.S = reader.ReadString(); break;
                case 5 when wire == ProtobufReader.LengthDelimited: attribute.T = OnnxTensor.Read(reader.ReadMessage()); break;
                case 6 when wire == ProtobufReader.LengthDelimited: attribute.G = OnnxGraph.ReadGraph(reader.ReadMessage()); break;
                case 7 when wire == ProtobufReader.Fixed32: attribute.Floats.Add(reader.ReadFloat()); break;
                case 7 when wire == ProtobufReader.LengthDelimited:
                    ProtobufReader floats = reader.ReadMessage();
                    while (!floats.AtEnd)
                    {
                        attribute.Floats.Add(floats.ReadFloat());
                    }

                    break;
                case 8 when wire == ProtobufReader.Varint: attribute.Ints.Add(reader.ReadInt64()); break;
                case 8 when wire == ProtobufReader.LengthDelimited:
                    ProtobufReader ints = reader.ReadMessage();
                    while (!ints.AtEnd)
                    {
                        attribute.Ints.Add(ints.ReadInt64());
                    }

                    break;
                case 9 when wire == ProtobufReader.LengthDelimited: attribute.Strings.Add(reader.ReadString()); break;
                default: reader.Skip(wire); break;
            }
        }

        return attribute;
    }
}

/// <summary>
/// TensorProto: dims = 1, data_type = 2, float_data = 4, int32_data = 5, int64_data = 7, name = 8, raw_data = 9,
/// data_location = 14.
/// </summary>
internal sealed class OnnxTensor
{
    public const int FloatType = 1;
    public const int Int32Type = 6;
    public const int Int64Type = 7;

    public string Name { get; private set; } = "";
    public List<long> Dims { get; } = new();
    public int DataType { get; private set; }
    public bool External { get; private set; }
    private byte[]? _raw;
    private readonly List<float> _floatData = new();
    private readonly List<long> _intData = new();

    /// <summary>A tensor computed by the reader (folded constants), not read from a file.</summary>
    public static OnnxTensor FromFloats(string name, IReadOnlyList<long> dims, float[] values)
    {
        var tensor = new OnnxTensor { Name = name, DataType = FloatType };
        tensor.Dims.AddRange(dims);
        tensor._floatData.AddRange(values);
        return tensor;
    }

    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (long d in Dims)
            {
                count *= d;
            }

            return count;
        }
    }

    public static OnnxTensor Read(ProtobufReader reader)
    {
        var tensor = new OnnxTensor();
        while (reader.TryReadTag(out int field, out int wire))
        {
            switch (field)
            {
                case 1 when wire == ProtobufReader.Varint: tensor.Dims.Add(reader.ReadInt64()); break;
                case 1 when wire == ProtobufReader.LengthDelimited:
                    ProtobufReader dims = reader.ReadMessage();
                    while (!dims.AtEnd)
                    {
                        tensor.Dims.Add(dims.ReadInt64());
                    }

                    break;
                case 2 when wire == ProtobufReader.Varint: tensor.DataType = (int)reader.ReadInt64(); break;
                case 4 when wire == ProtobufReader.Fixed32: tensor._floatData.Add(reader.ReadFloat()); break;
                case 4 when wire == ProtobufReader.LengthDelimited:
                    ProtobufReader floats = reader.ReadMessage();
                    while (!floats.AtEnd)
                    {
                        tensor._floatData.Add(floats.ReadFloat());
                    }

                    break;
                case 5 when wire == ProtobufReader.Varint:
                case 7 when wire == ProtobufReader.Varint:
                    tensor._intData.Add(reader.ReadInt64());
                    break;
                case 5 when wire == ProtobufReader.LengthDelimited:
                case 7 when wire == ProtobufReader.LengthDelimited:
                    ProtobufReader ints = reader.ReadMessage();
                    while (!ints.AtEnd)
                    {
                        tensor._intData.Add(ints.ReadInt64());
                    }

                    break;
                case 8 when wire == ProtobufReader.LengthDelimited: tensor.Name = reader.ReadString(); break;
                case 9 when wire == ProtobufReader.LengthDelimited: tensor._raw = reader.ReadBytes(); break;
                case 14 when wire == ProtobufReader.Varint: tensor.External = reader.ReadInt64() == 1; break;
                default: reader.Skip(wire); break;
            }
        }

        return tensor;
    }

    /// <summary>The values as float32 (little-endian raw_data or float_data), or null with a reason.</summary>
    public float[]? TryGetFloats(out string? problem)
    {
        problem = null;
        if (External)
        {
            problem = $"tensor '{Name}' keeps its data in an external file, which NetGen cannot read";
            return null;
        }

        if (DataType != FloatType)
        {
            problem = $"tensor '{Name}' has element type {DataType}, not float32 (1)";
            return null;
        }

        long count = ElementCount;
        float[] values;
        if (_raw != null)
        {
            if (_raw.LongLength != count * 4)
            {
                problem = $"tensor '{Name}' has {_raw.Length} bytes of raw data for {count} float32 values";
                return null;
            }

            values = new float[count];
            for (int i = 0; i < values.Length; i++)
            {
                int bits = _raw[4 * i] | _raw[4 * i + 1] << 8 | _raw[4 * i + 2] << 16 | _raw[4 * i + 3] << 24;
                values[i] = BitConverter.ToSingle(BitConverter.GetBytes(bits), 0);
            }
        }
        else
        {
            if (_floatData.Count != count)
            {
                problem = $"tensor '{Name}' has {_floatData.Count} float values for shape [{string.Join(", ", Dims)}]";
                return null;
            }

            values = _floatData.ToArray();
        }

        return values;
    }

    /// <summary>The values of an int64 or int32 tensor (little-endian raw_data, int64_data or int32_data), or null with a reason.</summary>
    public long[]? TryGetInt64s(out string? problem)
    {
        problem = null;
        if (External)
        {
            problem = $"tensor '{Name}' keeps its data in an external file, which NetGen cannot read";
            return null;
        }

        int size = DataType == Int64Type ? 8 : DataType == Int32Type ? 4 : 0;
        if (size == 0)
        {
            problem = $"tensor '{Name}' has element type {DataType}, not int64 (7) or int32 (6)";
            return null;
        }

        long count = ElementCount;
        if (_raw == null)
        {
            if (_intData.Count != count)
            {
                problem = $"tensor '{Name}' has {_intData.Count} integer values for shape [{string.Join(", ", Dims)}]";
                return null;
            }

            return _intData.ToArray();
        }

        if (_raw.LongLength != count * size)
        {
            problem = $"tensor '{Name}' has {_raw.Length} bytes of raw data for {count} integers of {size} bytes";
            return null;
        }

        var values = new long[count];
        for (int i = 0; i < values.Length; i++)
        {
            ulong value = 0;
            for (int b = size - 1; b >= 0; b--)
            {
                value = (value << 8) | _raw[(size * i) + b];
            }

            values[i] = size == 8 ? (long)value : (int)(uint)value;
        }

        return values;
    }
}

/// <summary>ValueInfoProto: name = 1, type = 2; TypeProto.tensor_type = 1; Tensor.shape = 2; TensorShapeProto.dim = 1;
/// Dimension: dim_value = 1, dim_param = 2. A dimension is its value, or -1 when symbolic or missing.</summary>
internal sealed class OnnxValueInfo
{
    public string Name { get; private set; } = "";
    public List<long>? Shape { get; private set; }

    public static OnnxValueInfo Read(ProtobufReader reader)
    {
        var info = new OnnxValueInfo();
        while (reader.TryReadTag(out int field, out int wire))
        {
            if (field == 1 && wire == ProtobufReader.LengthDelimited)
            {
                info.Name = reader.ReadString();
            }
            else if (field == 2 && wire == ProtobufReader.LengthDelimited)
            {
                info.Shape = ReadTypeShape(reader.ReadMessage());
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return info;
    }

    private static List<long>? ReadTypeShape(ProtobufReader type)
    {
        List<long>? shape = null;
        while (type.TryReadTag(out int field, out int wire))
        {
            if (field != 1 || wire != ProtobufReader.LengthDelimited)
            {
                type.Skip(wire);
                continue;
            }

            ProtobufReader tensorType = type.ReadMessage();
            while (tensorType.TryReadTag(out int tf, out int tw))
            {
                if (tf != 2 || tw != ProtobufReader.LengthDelimited)
                {
                    tensorType.Skip(tw);
                    continue;
                }

                shape = new List<long>();
                ProtobufReader shapeReader = tensorType.ReadMessage();
                while (shapeReader.TryReadTag(out int sf, out int sw))
                {
                    if (sf != 1 || sw != ProtobufReader.LengthDelimited)
                    {
                        shapeReader.Skip(sw);
                        continue;
                    }

                    long value = -1;
                    ProtobufReader dim = shapeReader.ReadMessage();
                    while (dim.TryReadTag(out int df, out int dw))
                    {
                        if (df == 1 && dw == ProtobufReader.Varint)
                        {
                            value = dim.ReadInt64();
                        }
                        else
                        {
                            dim.Skip(dw);
                        }
                    }

                    shape.Add(value);
                }
            }
        }

        return shape;
    }
}
