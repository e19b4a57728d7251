using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using NetGen.Onnx.Export;

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
/// <para>
/// A sequence network's input is <c>[batch, steps, inputs]</c> (<c>steps</c> symbolic too: each row of the batch is
/// one sequence laid out as <c>Forward</c> reads it). <c>Transpose</c> turns it into ONNX's <c>[steps, batch,
/// inputs]</c>; each recurrent layer is ONNX's <c>GRU</c> (<c>linear_before_reset = 1</c>, PyTorch's and NetGen's
/// GRU), <c>LSTM</c> or <c>RNN</c> (<c>activations = [Tanh]</c> or <c>[Relu]</c>) with the gates moved from
/// PyTorch's order to ONNX's and a zero initial state; stacked layers pass on their hidden sequence, and the last
/// one's final hidden state <c>Y_h</c> feeds the dense layers, written as above.
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

    /// <summary>
    /// The symbolic name of the time dimension of a sequence network's <see cref="InputName"/>, which is
    /// <c>[batch, steps, InputCount]</c>: each sequence may have any number of steps (all sequences of one batch the same).
    /// </summary>
    public const string StepsDimension = "steps";

    /// <summary>The ONNX IR version written.</summary>
    public const long IrVersion = 8;

    /// <summary>The version of the default (<c>ai.onnx</c>) operator set the model imports.</summary>
    public const long OpsetVersion = 13;

    /// <summary>Encodes <paramref name="network"/> (its architecture and current weights) as an ONNX model.</summary>
    /// <typeparam name="TNet">A class completed by the NetGen generator.</typeparam>
    /// <param name="network">The network to export.</param>
    /// <param name="options">Optional metadata.</param>
    /// <returns>The model file's bytes.</returns>
    /// <exception cref="FormatException"><typeparamref name="TNet"/>'s architecture text is not in NetGen's canonical form.</exception>
    /// <exception cref="InvalidOperationException">The architecture text disagrees with the class's sizes.</exception>
    /// <exception cref="NotSupportedException">The network has an <c>Rnn</c> layer whose activation is neither Tanh nor ReLU.</exception>
    public static byte[] ToBytes<TNet>(TNet network, OnnxExportOptions? options = null)
        where TNet : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        NetworkArchitecture architecture = NetworkArchitecture.Of(network);
        return ToBytes(architecture, network.Parameters, options, typeof(TNet).Name);
    }

    /// <summary>Writes <paramref name="network"/> as an ONNX model to <paramref name="stream"/> (left open).</summary>
    /// <typeparam name="TNet">A class completed by the NetGen generator.</typeparam>
    /// <param name="network">The network to export.</param>
    /// <param name="stream">A writable stream.</param>
    /// <param name="options">Optional metadata.</param>
    /// <exception cref="FormatException"><typeparamref name="TNet"/>'s architecture text is not in NetGen's canonical form.</exception>
    /// <exception cref="InvalidOperationException">The architecture text disagrees with the class's sizes.</exception>
    /// <exception cref="NotSupportedException">The network has an <c>Rnn</c> layer whose activation is neither Tanh nor ReLU.</exception>
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
    /// <exception cref="NotSupportedException">The network has an <c>Rnn</c> layer whose activation is neither Tanh nor ReLU.</exception>
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
    /// <exception cref="NotSupportedException"><paramref name="architecture"/> has an <c>Rnn</c> layer whose activation is neither Tanh nor ReLU.</exception>
    public static byte[] ToBytes(NetworkArchitecture architecture, ReadOnlySpan<float> parameters, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return ToBytes(architecture, parameters, options, graphName: null);
    }

    private static byte[] ToBytes(NetworkArchitecture architecture, ReadOnlySpan<float> parameters, OnnxExportOptions? options, string? graphName)
    {
        if (parameters.Length != architecture.ParameterCount)
        {
            throw new ArgumentException(
                $"Expected {architecture.ParameterCount} parameters for \"{architecture}\", got {parameters.Length}.", nameof(parameters));
        }

        foreach (RecurrentLayer layer in architecture.RecurrentLayers)
        {
            if (layer.Kind == RecurrentKind.Rnn && layer.Activation is not (Activation.Tanh or Activation.ReLU))
            {
                // ONNX's RNN has other activations, but NetGen's generator builds Tanh and ReLU RNNs only (as nn.RNN).
                throw new NotSupportedException(
                    $"\"{architecture}\" has an Rnn layer with activation {layer.Activation}; NetGen's RNN (as PyTorch's nn.RNN) is Tanh or ReLU.");
            }
        }

        options ??= new OnnxExportOptions();
        var graph = new OnnxGraphWriter();
        string x = InputName;
        int offset = 0;
        int recurrentCount = architecture.RecurrentLayers.Count, denseCount = architecture.Layers.Count;
        if (recurrentCount > 0)
        {
            // [batch, steps, features] -> [steps, batch, features], the layout of ONNX's recurrent operators at opset 13.
            RecurrentLayerExport.WriteConstants(graph);
            graph.Node("input.transpose", "Transpose", [x], ["input.steps_first"], OnnxGraphWriter.Ints("perm", 1, 0, 2));
            x = "input.steps_first";
        }

        for (int l = 0; l < recurrentCount; l++)
        {
            RecurrentLayer layer = architecture.RecurrentLayers[l];
            int inputs = architecture.RecurrentInputsOf(l);
            int count = RecurrentLayerExport.ParameterCount(layer, inputs);
            bool last = l == recurrentCount - 1;
            x = RecurrentLayerExport.Write(graph, l, layer, inputs, parameters.Slice(offset, count), x, last,
                last && denseCount == 0 ? OutputName : $"layer{l}.h");
            offset += count;
        }

        for (int l = 0; l < denseCount; l++)
        {
            DenseLayer layer = architecture.Layers[l];
            int inputs = architecture.InputsOf(l);
            int count = DenseLayerExport.ParameterCount(inputs, layer);
            int index = recurrentCount + l;
            x = DenseLayerExport.Write(graph, index, layer, inputs, parameters.Slice(offset, count), x,
                l == denseCount - 1 ? OutputName : $"layer{index}.y");
            offset += count;
        }

        object[] inputShape = recurrentCount > 0 ? [BatchDimension, StepsDimension, architecture.Inputs] : [BatchDimension, architecture.Inputs];
        ProtobufWriter graphProto = graph.ToGraph(options.GraphName ?? graphName ?? "netgen",
            (InputName, inputShape), (OutputName, [BatchDimension, architecture.Outputs]));

        return new ProtobufWriter()
            .Int64(1, IrVersion)
            .String(2, options.ProducerName ?? string.Empty)
            .String(3, options.ProducerVersion ?? NetGenVersion())
            .String(6, options.DocString ?? architecture.ToString())
            .Message(7, graphProto)
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
}
