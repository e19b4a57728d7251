using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace NetGen.Onnx.Export;

/// <summary>
/// Collects the nodes and initializers of one ONNX graph (onnx.proto's GraphProto) as the layer writers add them, and
/// encodes the graph. Names are the caller's; nodes are written in the order they are added, which must be a
/// topological order (ONNX requires it).
/// </summary>
internal sealed class OnnxGraphWriter
{
    // onnx.proto enum values.
    public const int FloatDataType = 1; // TensorProto.DataType.FLOAT
    public const int Int64DataType = 7; // TensorProto.DataType.INT64
    private const int FloatAttributeType = 1; // AttributeProto.AttributeType.FLOAT
    private const int IntAttributeType = 2; // AttributeProto.AttributeType.INT
    private const int IntsAttributeType = 7; // AttributeProto.AttributeType.INTS
    private const int StringsAttributeType = 8; // AttributeProto.AttributeType.STRINGS

    private readonly List<ProtobufWriter> _nodes = [];
    private readonly List<ProtobufWriter> _initializers = [];

    /// <summary>Adds a node (NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5).</summary>
    /// <param name="name">The node's name.</param>
    /// <param name="opType">The default-domain operator.</param>
    /// <param name="inputs">Its inputs; an empty string is an omitted optional input.</param>
    /// <param name="outputs">Its outputs; an empty string is an omitted optional output.</param>
    /// <param name="attributes">Its attributes (<see cref="Int"/>, <see cref="Float"/>, <see cref="Strings"/>).</param>
    public void Node(string name, string opType, string[] inputs, string[] outputs, params ProtobufWriter[] attributes)
    {
        var node = new ProtobufWriter();
        foreach (string input in inputs)
        {
            node.String(1, input);
        }

        foreach (string output in outputs)
        {
            node.String(2, output);
        }

        node.String(3, name).String(4, opType);
        foreach (ProtobufWriter attribute in attributes)
        {
            node.Message(5, attribute);
        }

        _nodes.Add(node);
    }

    /// <summary>Adds a float32 initializer; no <paramref name="dims"/> makes a scalar.</summary>
    public void FloatTensor(string name, ReadOnlySpan<float> values, params int[] dims)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian; this writer copies floats as they are in memory.");
        }

        _initializers.Add(Dims(dims).Int64(2, FloatDataType).String(8, name).Bytes(9, MemoryMarshal.AsBytes(values)));
    }

    /// <summary>Adds an int64 initializer (axes, indices); no <paramref name="dims"/> makes a scalar.</summary>
    public void Int64Tensor(string name, ReadOnlySpan<long> values, params int[] dims)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian; this writer copies integers as they are in memory.");
        }

        _initializers.Add(Dims(dims).Int64(2, Int64DataType).String(8, name).Bytes(9, MemoryMarshal.AsBytes(values)));
    }

    /// <summary>An <c>int</c> attribute (AttributeProto: name = 1, i = 3, type = 20).</summary>
    public static ProtobufWriter Int(string name, long value) =>
        new ProtobufWriter().String(1, name).Int64(3, value).Int64(20, IntAttributeType);

    /// <summary>A <c>float</c> attribute (f = 2).</summary>
    public static ProtobufWriter Float(string name, float value) =>
        new ProtobufWriter().String(1, name).Float(2, value).Int64(20, FloatAttributeType);

    /// <summary>An <c>ints</c> attribute (ints = 8, one field per value).</summary>
    public static ProtobufWriter Ints(string name, params long[] values)
    {
        var attribute = new ProtobufWriter().String(1, name);
        foreach (long value in values)
        {
            attribute.Int64(8, value);
        }

        return attribute.Int64(20, IntsAttributeType);
    }

    /// <summary>A <c>strings</c> attribute (strings = 9).</summary>
    public static ProtobufWriter Strings(string name, params string[] values)
    {
        var attribute = new ProtobufWriter().String(1, name);
        foreach (string value in values)
        {
            attribute.String(9, value);
        }

        return attribute.Int64(20, StringsAttributeType);
    }

    /// <summary>
    /// The GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12, with one input and one output whose
    /// shapes are given as dimensions, each a fixed size or a symbolic name.
    /// </summary>
    public ProtobufWriter ToGraph(string graphName, (string Name, object[] Shape) input, (string Name, object[] Shape) output)
    {
        var graph = new ProtobufWriter();
        foreach (ProtobufWriter node in _nodes)
        {
            graph.Message(1, node);
        }

        graph.String(2, graphName);
        foreach (ProtobufWriter initializer in _initializers)
        {
            graph.Message(5, initializer);
        }

        return graph.Message(11, ValueInfo(input.Name, input.Shape)).Message(12, ValueInfo(output.Name, output.Shape));
    }

    private static ProtobufWriter Dims(int[] dims)
    {
        var tensor = new ProtobufWriter();
        foreach (int dim in dims)
        {
            tensor.Int64(1, dim);
        }

        return tensor;
    }

    /// <summary>A float tensor value (ValueInfoProto) whose dimensions are sizes (<see cref="int"/>) or symbolic names (<see cref="string"/>).</summary>
    private static ProtobufWriter ValueInfo(string name, object[] dims)
    {
        var shape = new ProtobufWriter();
        foreach (object dim in dims)
        {
            shape.Message(1, dim is string symbol
                ? new ProtobufWriter().String(2, symbol) // TensorShapeProto.Dimension.dim_param
                : new ProtobufWriter().Int64(1, (int)dim)); // TensorShapeProto.Dimension.dim_value
        }

        var tensorType = new ProtobufWriter().Int64(1, FloatDataType).Message(2, shape); // TypeProto.Tensor
        var type = new ProtobufWriter().Message(1, tensorType); // TypeProto.tensor_type
        return new ProtobufWriter().String(1, name).Message(2, type);
    }
}
