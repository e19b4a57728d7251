using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace NetGen.Onnx;

/// <summary>
/// Writes a NetGen network as a standard ONNX model (IR version 8, default-domain opset 13) that ONNX Runtime and
/// other ONNX tools load and run with the same outputs as the network's <c>Forward</c>.
/// </summary>
/// <remarks>
/// <para>
/// The layer structure comes from the network's <see cref="INetwork.Architecture"/> text (parsed by
/// <see cref="NetworkArchitecture.Parse"/>), the weights from <see cref="INetwork.Parameters"/>, stored as
/// initializers. Each layer is a <c>Gemm</c> with <c>transB = 1</c> (<c>z = x Wᵀ + b</c> with <c>W</c> in NetGen's =
/// PyTorch's <c>[units, inputs]</c> layout, as <c>torch.onnx.export</c> writes <c>nn.Linear</c>) followed by its
/// activation: <c>Identity</c> adds no node; <c>Sigmoid</c>, <c>Tanh</c>, <c>Relu</c>, <c>LeakyRelu</c>
/// (<c>alpha = 0.01</c>) and <c>Softmax</c> (<c>axis = -1</c>) are ONNX operators; <c>Step</c>, which ONNX lacks,
/// is <c>Cast(Greater(z, 0), to = FLOAT)</c>, i.e. 1 where <c>z &gt; 0</c> and 0 elsewhere (0 at 0 and for NaN, as NetGen).
/// </para>
/// <para>
/// The graph's input is <c>input</c>, float, shape <c>[batch, inputs]</c>, and its output <c>output</c>, float,
/// shape <c>[batch, outputs]</c>, with <c>batch</c> a symbolic dimension: one row per sample. The loss is not part of
/// the graph (it is named in the model's default doc string).
/// </para>
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The graph input's name.</summary>
    public const string InputName = "input";

    /// <summary>The graph output's name.</summary>
    public const string OutputName = "output";

    /// <summary>The symbolic name of the batch dimension of <see cref="InputName"/> and <see cref="OutputName"/>.</summary>
    public const string BatchDimension = "batch";

    /// <summary>The ONNX IR version written.</summary>
    public const long IrVersion = 8;

    /// <summary>The version of the default (<c>ai.onnx</c>) operator set the model imports.</summary>
    public const long OpsetVersion = 13;

    // onnx.proto enum values.
    private const int FloatDataType = 1; // TensorProto.DataType.FLOAT
    private const int FloatAttributeType = 1; // AttributeProto.AttributeType.FLOAT
    private const int IntAttributeType = 2; // AttributeProto.AttributeType.INT

    /// <summary>Encodes <paramref name="network"/> (its architecture and current weights) as an ONNX model.</summary>
    /// <typeparam name="TNet">A class completed by the NetGen generator.</typeparam>
    /// <param name="network">The network to export.</param>
    /// <param name="options">Optional metadata.</param>
    /// <returns>The model file's bytes.</returns>
    /// <exception cref="FormatException"><typeparamref name="TNet"/>'s architecture text is not in NetGen's canonical form.</exception>
    /// <exception cref="InvalidOperationException">The architecture text disagrees with the class's sizes.</exception>
    /// <exception cref="NotSupportedException">The network has recurrent layers, which the exporter does not write yet.</exception>
    public static byte[] ToBytes<TNet>(TNet network, OnnxExportOptions? options = null)
        where TNet : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        NetworkArchitecture architecture = NetworkArchitecture.Of<TNet>();
        return ToBytes(architecture, network.Parameters, options, typeof(TNet).Name);
    }

    /// <summary>Writes <paramref name="network"/> as an ONNX model to <paramref name="stream"/> (left open).</summary>
    /// <typeparam name="TNet">A class completed by the NetGen generator.</typeparam>
    /// <param name="network">The network to export.</param>
    /// <param name="stream">A writable stream.</param>
    /// <param name="options">Optional metadata.</param>
    /// <exception cref="FormatException"><typeparamref name="TNet"/>'s architecture text is not in NetGen's canonical form.</exception>
    /// <exception cref="InvalidOperationException">The architecture text disagrees with the class's sizes.</exception>
    /// <exception cref="NotSupportedException">The network has recurrent layers, which the exporter does not write yet.</exception>
    public static void Save<TNet>(TNet network, Stream stream, OnnxExportOptions? options = null)
        where TNet : INetwork
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ToBytes(network, options));
    }

    /// <summary>
    /// Writes <paramref name="network"/> as an ONNX model to the file <paramref name="path"/>, created or replaced
    /// atomically as weight files are (<see cref="NetGen.Serialization.AtomicFile"/>).
    /// </summary>
    /// <typeparam name="TNet">A class completed by the NetGen generator.</typeparam>
    /// <param name="network">The network to export.</param>
    /// <param name="path">The file to write, conventionally with the extension <c>.onnx</c>.</param>
    /// <param name="options">Optional metadata.</param>
    /// <exception cref="FormatException"><typeparamref name="TNet"/>'s architecture text is not in NetGen's canonical form.</exception>
    /// <exception cref="InvalidOperationException">The architecture text disagrees with the class's sizes.</exception>
    /// <exception cref="NotSupportedException">The network has recurrent layers, which the exporter does not write yet.</exception>
    public static void SaveFile<TNet>(TNet network, string path, OnnxExportOptions? options = null)
        where TNet : INetwork
    {
        ArgumentNullException.ThrowIfNull(path);
        NetGen.Serialization.AtomicFile.Write(path, ToBytes(network, options));
    }

    /// <summary>Encodes a network given as an architecture and a parameter block in NetGen's layout.</summary>
    /// <param name="architecture">The layer structure.</param>
    /// <param name="parameters">Exactly <see cref="NetworkArchitecture.ParameterCount"/> values: per layer <c>W</c> (<c>[units, inputs]</c>, row-major) then <c>b</c>.</param>
    /// <param name="options">Optional metadata.</param>
    /// <returns>The model file's bytes.</returns>
    /// <exception cref="ArgumentException"><paramref name="parameters"/> has the wrong length.</exception>
    /// <exception cref="NotSupportedException"><paramref name="architecture"/> has recurrent layers, which the exporter does not write yet.</exception>
    public static byte[] ToBytes(NetworkArchitecture architecture, ReadOnlySpan<float> parameters, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return ToBytes(architecture, parameters, options, graphName: null);
    }

    private static byte[] ToBytes(NetworkArchitecture architecture, ReadOnlySpan<float> parameters, OnnxExportOptions? options, string? graphName)
    {
        if (architecture.RecurrentLayers.Count > 0)
        {
            // The graph below is dense layers only; writing it for a recurrent network would drop those layers silently.
            throw new NotSupportedException(
                $"ONNX export of recurrent layers is not supported yet: \"{architecture}\" has {architecture.RecurrentLayers.Count} recurrent layer(s).");
        }

        if (parameters.Length != architecture.ParameterCount)
        {
            throw new ArgumentException(
                $"Expected {architecture.ParameterCount} parameters for \"{architecture}\", got {parameters.Length}.", nameof(parameters));
        }

        options ??= new OnnxExportOptions();
        var graph = new ProtobufWriter();
        var initializers = new List<ProtobufWriter>();
        string x = InputName;
        int offset = 0;
        int layerCount = architecture.Layers.Count;
        for (int l = 0; l < layerCount; l++)
        {
            DenseLayer layer = architecture.Layers[l];
            int inputs = architecture.InputsOf(l);
            bool last = l == layerCount - 1;
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
                string name = $"layer{l}.{layer.Activation}";
                if (layer.Activation == Activation.Step)
                {
                    // Heaviside with H(0) = 0: Greater(z, 0) is false at 0 and for NaN, then Cast to float.
                    string zero = $"layer{l}.step.zero", positive = $"layer{l}.step.positive";
                    initializers.Add(Tensor(zero, [0f]));
                    graph.Message(1, Node($"{name}.greater", "Greater", [x, zero], positive));
                    graph.Message(1, Node($"{name}.cast", "Cast", [positive], y, Int("to", FloatDataType)));
                }
                else
                {
                    graph.Message(1, ActivationNode(name, layer.Activation, x, y));
                }

                x = y;
            }
        }

        graph.String(2, options.GraphName ?? graphName ?? "netgen");
        foreach (ProtobufWriter initializer in initializers)
        {
            graph.Message(5, initializer);
        }

        graph.Message(11, ValueInfo(InputName, architecture.Inputs));
        graph.Message(12, ValueInfo(OutputName, architecture.Outputs));

        return new ProtobufWriter()
            .Int64(1, IrVersion)
            .String(2, options.ProducerName ?? string.Empty)
            .String(3, options.ProducerVersion ?? NetGenVersion())
            .String(6, options.DocString ?? architecture.ToString())
            .Message(7, graph)
            .Message(8, new ProtobufWriter().String(1, string.Empty).Int64(2, OpsetVersion))
            .ToArray();
    }

    /// <summary>The NetGen runtime library's informational version without any source-revision suffix.</summary>
    private static string NetGenVersion()
    {
        Assembly assembly = typeof(INetwork).Assembly;
        string? version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString();
        if (version is null)
        {
            return string.Empty;
        }

        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }

    private static ProtobufWriter ActivationNode(string name, Activation activation, string input, string output) => activation switch
    {
        Activation.Sigmoid => Node(name, "Sigmoid", [input], output),
        Activation.Tanh => Node(name, "Tanh", [input], output),
        Activation.ReLU => Node(name, "Relu", [input], output),
        Activation.LeakyReLU => Node(name, "LeakyRelu", [input], output, Float("alpha", Numerics.Activations.LeakyReLUSlope)),
        Activation.Softmax => Node(name, "Softmax", [input], output, Int("axis", -1)),
        _ => throw new NotSupportedException($"No ONNX operator for activation {activation}."),
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

    /// <summary>A float tensor; no <paramref name="dims"/> makes a scalar.</summary>
    private static ProtobufWriter Tensor(string name, ReadOnlySpan<float> values, params int[] dims)
    {
        var tensor = new ProtobufWriter();
        foreach (int dim in dims)
        {
            tensor.Int64(1, dim);
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian; this writer copies floats as they are in memory.");
        }

        return tensor.Int64(2, FloatDataType).String(8, name).Bytes(9, MemoryMarshal.AsBytes(values));
    }

    /// <summary>A float tensor value of shape <c>[batch, features]</c> with a symbolic batch dimension.</summary>
    private static ProtobufWriter ValueInfo(string name, int features)
    {
        var shape = new ProtobufWriter()
            .Message(1, new ProtobufWriter().String(2, BatchDimension)) // TensorShapeProto.Dimension.dim_param
            .Message(1, new ProtobufWriter().Int64(1, features)); // TensorShapeProto.Dimension.dim_value
        var tensorType = new ProtobufWriter().Int64(1, FloatDataType).Message(2, shape); // TypeProto.Tensor
        var type = new ProtobufWriter().Message(1, tensorType); // TypeProto.tensor_type
        return new ProtobufWriter().String(1, name).Message(2, type);
    }
}
