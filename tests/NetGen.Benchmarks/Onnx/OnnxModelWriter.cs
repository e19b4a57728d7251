using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using NetGen.Benchmarks.Networks;

namespace NetGen.Benchmarks.Onnx;

/// <summary>
/// Writes a NetGen network as an ONNX model (IR version 8, default opset 13) with the network's weights as
/// initializers, so that ONNX Runtime computes exactly what the generated class computes. Each layer is a
/// <c>Gemm</c> with <c>transB = 1</c> (<c>z = x Wᵀ + b</c>, W in NetGen's = PyTorch's <c>[units, inputs]</c> layout,
/// as <c>torch.onnx.export</c> writes <c>nn.Linear</c>) followed by its activation node. The graph's input is
/// <c>input</c> of shape <c>[1, inputs]</c> and its output <c>output</c> of shape <c>[1, outputs]</c>.
/// </summary>
/// <remarks>
/// The protobuf field numbers are those of <c>onnx.proto</c> (ModelProto, GraphProto, NodeProto, AttributeProto,
/// TensorProto, ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto).
/// </remarks>
public static class OnnxModelWriter
{
    /// <summary>The graph input's name.</summary>
    public const string InputName = "input";

    /// <summary>The graph output's name.</summary>
    public const string OutputName = "output";

    private const long IrVersion = 8;
    private const long OpsetVersion = 13;
    private const int FloatDataType = 1; // TensorProto.DataType.FLOAT
    private const int FloatAttributeType = 1; // AttributeProto.AttributeType.FLOAT
    private const int IntAttributeType = 2; // AttributeProto.AttributeType.INT

    /// <summary>Encodes the model for <paramref name="spec"/> with <paramref name="parameters"/> (NetGen layout).</summary>
    public static byte[] Write(NetworkSpec spec, ReadOnlySpan<float> parameters)
    {
        if (parameters.Length != spec.ParameterCount)
        {
            throw new ArgumentException($"Expected {spec.ParameterCount} parameters, got {parameters.Length}.", nameof(parameters));
        }

        var graph = new ProtobufWriter();
        var initializers = new List<ProtobufWriter>();
        string x = InputName;
        int offset = 0;
        for (int l = 0; l < spec.Layers.Count; l++)
        {
            LayerSpec layer = spec.Layers[l];
            int inputs = spec.InputsOf(l);
            bool last = l == spec.Layers.Count - 1;
            string weight = $"layer{l}.weight", bias = $"layer{l}.bias";
            initializers.Add(Tensor(weight, parameters.Slice(offset, layer.Units * inputs), layer.Units, inputs));
            offset += layer.Units * inputs;
            initializers.Add(Tensor(bias, parameters.Slice(offset, layer.Units), layer.Units));
            offset += layer.Units;

            bool hasActivation = layer.Activation != Activation.Identity;
            string z = last && !hasActivation ? OutputName : $"layer{l}.z";
            graph.Message(1, Node($"layer{l}.gemm", "Gemm", [x, weight, bias], z, Int("transB", 1)));
            x = z;
            if (hasActivation)
            {
                string y = last ? OutputName : $"layer{l}.y";
                graph.Message(1, ActivationNode($"layer{l}.{layer.Activation}", layer.Activation, x, y));
                x = y;
            }
        }

        graph.String(2, spec.Name);
        foreach (ProtobufWriter initializer in initializers)
        {
            graph.Message(5, initializer);
        }

        graph.Message(11, ValueInfo(InputName, 1, spec.Inputs));
        graph.Message(12, ValueInfo(OutputName, 1, spec.Outputs));

        return new ProtobufWriter()
            .Int64(1, IrVersion)
            .String(2, "NetGen.Benchmarks")
            .String(3, "0.1.0")
            .Message(7, graph)
            .Message(8, new ProtobufWriter().String(1, string.Empty).Int64(2, OpsetVersion))
            .ToArray();
    }

    private static ProtobufWriter ActivationNode(string name, Activation activation, string input, string output) => activation switch
    {
        Activation.Sigmoid => Node(name, "Sigmoid", [input], output),
        Activation.Tanh => Node(name, "Tanh", [input], output),
        Activation.ReLU => Node(name, "Relu", [input], output),
        Activation.LeakyReLU => Node(name, "LeakyRelu", [input], output, Float("alpha", Numerics.Activations.LeakyReLUSlope)),
        Activation.Softmax => Node(name, "Softmax", [input], output, Int("axis", -1)),
        _ => throw new NotSupportedException($"{activation} has no ONNX operator in this writer."),
    };

    private static ProtobufWriter Node(string name, string opType, string[] inputs, string output, params ProtobufWriter[] attributes)
    {
        var node = new ProtobufWriter();
        foreach (string input in inputs)
        {
            node.String(1, input);
        }

        node.String(2, output).String(3, name).String(4, opType);
        foreach (ProtobufWriter attribute in attributes)
        {
            node.Message(5, attribute);
        }

        return node;
    }

    private static ProtobufWriter Int(string name, long value) =>
        new ProtobufWriter().String(1, name).Int64(3, value).Int64(20, IntAttributeType);

    private static ProtobufWriter Float(string name, float value) =>
        new ProtobufWriter().String(1, name).Float(2, value).Int64(20, FloatAttributeType);

    private static ProtobufWriter Tensor(string name, ReadOnlySpan<float> values, params int[] dims)
    {
        var tensor = new ProtobufWriter();
        foreach (int dim in dims)
        {
            tensor.Int64(1, dim);
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("raw_data is little-endian; this writer copies floats as they are in memory.");
        }

        return tensor.Int64(2, FloatDataType).String(8, name).Bytes(9, MemoryMarshal.AsBytes(values));
    }

    private static ProtobufWriter ValueInfo(string name, params int[] dims)
    {
        var shape = new ProtobufWriter();
        foreach (int dim in dims)
        {
            shape.Message(1, new ProtobufWriter().Int64(1, dim)); // TensorShapeProto.Dimension.dim_value
        }

        var tensorType = new ProtobufWriter().Int64(1, FloatDataType).Message(2, shape); // TypeProto.Tensor
        var type = new ProtobufWriter().Message(1, tensorType); // TypeProto.tensor_type
        return new ProtobufWriter().String(1, name).Message(2, type);
    }
}
