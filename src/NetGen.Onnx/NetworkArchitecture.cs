using System;
using System.Collections.Generic;
using System.Text;
using NetGen.Shared;

namespace NetGen.Onnx;

/// <summary>One dense layer of a <see cref="NetworkArchitecture"/>: <c>z = W x + b</c> then the activation.</summary>
/// <param name="Units">The layer's outputs (at least 1).</param>
/// <param name="Activation">The activation applied to them.</param>
public readonly record struct DenseLayer(int Units, Activation Activation);

/// <summary>The kind of a <see cref="RecurrentLayer"/>, with PyTorch's gate order.</summary>
public enum RecurrentKind
{
    /// <summary>Gated recurrent unit, PyTorch's <c>nn.GRU</c>: 3 gates (r, z, n). Text token <c>Gru(units)</c>.</summary>
    Gru,

    /// <summary>Long short-term memory, PyTorch's <c>nn.LSTM</c>: 4 gates (i, f, g, o). Text token <c>Lstm(units)</c>.</summary>
    Lstm,

    /// <summary>Elman recurrent layer, PyTorch's <c>nn.RNN</c>: 1 gate with a Tanh or ReLU nonlinearity. Text token <c>Rnn(units,Activation)</c>.</summary>
    Rnn,
}

/// <summary>
/// One recurrent layer of a <see cref="NetworkArchitecture"/>: it reads a sequence and passes on its hidden state, of
/// <paramref name="Units"/> values per step. Its parameters are PyTorch's <c>weight_ih</c> <c>[G·H, I]</c>,
/// <c>weight_hh</c> <c>[G·H, H]</c>, <c>bias_ih</c> <c>[G·H]</c> and <c>bias_hh</c> <c>[G·H]</c>, with H the units, I
/// its inputs and G the gates of its <paramref name="Kind"/>.
/// </summary>
/// <param name="Kind">GRU, LSTM or Elman RNN.</param>
/// <param name="Units">The hidden size H (at least 1).</param>
/// <param name="Activation">
/// The nonlinearity of an <see cref="RecurrentKind.Rnn"/> layer (<see cref="Activation.Tanh"/> or
/// <see cref="Activation.ReLU"/>, as <c>nn.RNN</c>); <see cref="Activation.Identity"/> for GRU and LSTM layers, whose
/// gate functions are fixed.
/// </param>
public readonly record struct RecurrentLayer(RecurrentKind Kind, int Units, Activation Activation);

/// <summary>
/// A network's layer structure as data, read from NetGen's canonical architecture text
/// (<see cref="INetwork.Architecture"/>): <c>inputs-layer-layer..., Loss</c>, where a layer is dense,
/// <c>units(Activation)</c>, or recurrent, <c>Gru(units)</c>, <c>Lstm(units)</c> or <c>Rnn(units,Activation)</c>; e.g.
/// <c>4-8(ReLU)-3(Softmax), CrossEntropy</c> or <c>6-Gru(32)-4(Softmax), CrossEntropy</c>. Sizes are positive decimal
/// integers without sign or leading zeros, activation and loss names are the <see cref="Activation"/> and
/// <see cref="NetGen.Loss"/> member names (case-sensitive), and the loss follows a comma and exactly one space. Nothing
/// else (other whitespace, empty layers) is accepted. Recurrent layers come before the dense layers.
/// </summary>
public sealed class NetworkArchitecture
{
    private readonly RecurrentLayer[] _recurrentLayers;
    private readonly DenseLayer[] _layers;

    /// <summary>Creates an architecture of dense layers from its parts.</summary>
    /// <param name="inputs">The number of inputs (at least 1).</param>
    /// <param name="loss">The loss the network trains with.</param>
    /// <param name="layers">The layers, input to output (at least one, each with at least one unit).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1, or an enum value is undefined.</exception>
    /// <exception cref="ArgumentException">There is no layer, or the parameter count exceeds <see cref="int.MaxValue"/>.</exception>
    public NetworkArchitecture(int inputs, Loss loss, params DenseLayer[] layers)
        : this(inputs, loss, [], layers)
    {
    }

    /// <summary>Creates an architecture of recurrent layers followed by dense layers.</summary>
    /// <param name="inputs">The number of inputs, per time step when there are recurrent layers (at least 1).</param>
    /// <param name="loss">The loss the network trains with.</param>
    /// <param name="recurrentLayers">The recurrent layers, first to last; each passes its hidden state to the next.</param>
    /// <param name="layers">The dense layers after them; the first reads the last recurrent layer's final hidden state.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1, or an enum value is undefined.</exception>
    /// <exception cref="ArgumentException">
    /// There is no layer, a GRU or LSTM layer has an activation other than <see cref="Activation.Identity"/>, or the
    /// parameter count exceeds <see cref="int.MaxValue"/>.
    /// </exception>
    public NetworkArchitecture(int inputs, Loss loss, IReadOnlyList<RecurrentLayer> recurrentLayers, params DenseLayer[] layers)
    {
        ArgumentNullException.ThrowIfNull(recurrentLayers);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        if (!Enum.IsDefined(loss))
        {
            throw new ArgumentOutOfRangeException(nameof(loss), loss, "Undefined loss.");
        }

        if (recurrentLayers.Count + layers.Length == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        long parameters = 0;
        int previous = inputs;
        foreach (RecurrentLayer layer in recurrentLayers)
        {
            CheckLayer(layer.Units, layer.Activation, nameof(recurrentLayers));
            if (!Enum.IsDefined(layer.Kind))
            {
                throw new ArgumentOutOfRangeException(nameof(recurrentLayers), layer.Kind, "Undefined recurrent layer kind.");
            }

            if (layer.Kind != RecurrentKind.Rnn && layer.Activation != Activation.Identity)
            {
                throw new ArgumentException(
                    $"A {layer.Kind} layer has fixed gate functions; its activation must be Identity, not {layer.Activation}.", nameof(recurrentLayers));
            }

            parameters = Add(parameters, ArchitectureText.ParameterCount(KindOf(layer.Kind), previous, layer.Units), nameof(recurrentLayers));
            previous = layer.Units;
        }

        foreach (DenseLayer layer in layers)
        {
            CheckLayer(layer.Units, layer.Activation, nameof(layers));
            parameters = Add(parameters, ArchitectureText.ParameterCount(LayerKind.Dense, previous, layer.Units), nameof(layers));
            previous = layer.Units;
        }

        Inputs = inputs;
        Loss = loss;
        _recurrentLayers = [.. recurrentLayers];
        _layers = (DenseLayer[])layers.Clone();
        ParameterCount = (int)parameters;
    }

    /// <summary>The number of inputs per sample (per time step when there are recurrent layers).</summary>
    public int Inputs { get; }

    /// <summary>The loss the network trains with (not part of the exported inference graph).</summary>
    public Loss Loss { get; }

    /// <summary>The dense layers, input to output (after the <see cref="RecurrentLayers"/>, if any).</summary>
    public IReadOnlyList<DenseLayer> Layers => _layers;

    /// <summary>The recurrent layers, first to last; empty for a feed-forward network.</summary>
    public IReadOnlyList<RecurrentLayer> RecurrentLayers => _recurrentLayers;

    /// <summary>The number of outputs per sample: the last layer's units.</summary>
    public int Outputs => _layers.Length > 0 ? _layers[^1].Units : _recurrentLayers[^1].Units;

    /// <summary>The number of weights and biases, as <see cref="INetwork.ParameterCount"/>.</summary>
    public int ParameterCount { get; }

    /// <summary>
    /// The number of inputs of dense layer <paramref name="layer"/>: the previous dense layer's units, or for the first
    /// the last recurrent layer's units, or <see cref="Inputs"/>.
    /// </summary>
    /// <param name="layer">An index into <see cref="Layers"/>.</param>
    public int InputsOf(int layer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, _layers.Length);
        return layer > 0 ? _layers[layer - 1].Units : _recurrentLayers.Length > 0 ? _recurrentLayers[^1].Units : Inputs;
    }

    /// <summary>The number of inputs per step of recurrent layer <paramref name="layer"/>: the previous one's units, or <see cref="Inputs"/>.</summary>
    /// <param name="layer">An index into <see cref="RecurrentLayers"/>.</param>
    public int RecurrentInputsOf(int layer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, _recurrentLayers.Length);
        return layer > 0 ? _recurrentLayers[layer - 1].Units : Inputs;
    }

    /// <summary>The architecture of the generated network class <typeparamref name="TNet"/>, parsed from its <c>Architecture</c>.</summary>
    /// <remarks>
    /// In the netstandard2.1 build (C# 9, Unity), where a network's sizes and architecture are instance members, this
    /// reads them once per class from an instance made through its public parameterless constructor (which every
    /// generated network has); <see cref="Of{TNet}(TNet)"/> reads them from the network given instead.
    /// </remarks>
    /// <typeparam name="TNet">A class completed by the NetGen generator.</typeparam>
    /// <exception cref="FormatException">The class's architecture text is not in NetGen's canonical form.</exception>
    /// <exception cref="InvalidOperationException">The text disagrees with the class's input, output or parameter count.</exception>
    public static NetworkArchitecture Of<TNet>()
        where TNet : INetwork
        => Checked<TNet>(NetworkShape.Of<TNet>());

    /// <summary>
    /// The architecture of <paramref name="network"/>, parsed from its <c>Architecture</c>: the same as
    /// <see cref="Of{TNet}()"/>, with the sizes and architecture read from <paramref name="network"/> in the
    /// netstandard2.1 build.
    /// </summary>
    /// <typeparam name="TNet">A class completed by the NetGen generator.</typeparam>
    /// <param name="network">The network.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="FormatException">The class's architecture text is not in NetGen's canonical form.</exception>
    /// <exception cref="InvalidOperationException">The text disagrees with the class's input, output or parameter count.</exception>
    public static NetworkArchitecture Of<TNet>(TNet network)
        where TNet : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        return Checked<TNet>(NetworkShape.Of(network));
    }

    private static NetworkArchitecture Checked<TNet>(NetworkShape shape)
        where TNet : INetwork
    {
        NetworkArchitecture architecture = Parse(shape.Architecture);
        if (architecture.Inputs != shape.InputCount || architecture.Outputs != shape.OutputCount
            || architecture.ParameterCount != shape.ParameterCount)
        {
            throw new InvalidOperationException(
                $"{typeof(TNet).Name}.Architecture \"{shape.Architecture}\" describes {architecture.Inputs} inputs, {architecture.Outputs} outputs " +
                $"and {architecture.ParameterCount} parameters, but the class has {shape.InputCount}, {shape.OutputCount} and {shape.ParameterCount}.");
        }

        return architecture;
    }

    /// <summary>Parses NetGen's canonical architecture text (see <see cref="NetworkArchitecture"/>).</summary>
    /// <param name="text">The text, e.g. <c>4-8(ReLU)-3(Softmax), CrossEntropy</c>.</param>
    /// <returns>The architecture; its <see cref="ToString"/> gives <paramref name="text"/> back.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">
    /// The text is not in the canonical form (the message names the position and what was expected), describes more
    /// than <see cref="int.MaxValue"/> parameters, or has a recurrent layer after a dense layer.
    /// </exception>
    public static NetworkArchitecture Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // The grammar is shared with the generator (src/Shared/ArchitectureText.cs): both accept the same texts.
        if (!ArchitectureText.TryParse(text, out ParsedArchitecture? parsed, out string? error))
        {
            throw new FormatException($"Invalid NetGen architecture {ArchitectureText.Quote(text)}: {error}. The canonical form is {ArchitectureText.CanonicalForm}.");
        }

        var recurrent = new List<RecurrentLayer>();
        var dense = new List<DenseLayer>();
        foreach (ArchitectureLayer layer in parsed.Layers)
        {
            if (layer.Kind == LayerKind.Dense)
            {
                dense.Add(new DenseLayer(layer.Units, layer.Activation));
            }
            else if (dense.Count == 0)
            {
                recurrent.Add(new RecurrentLayer(KindOf(layer.Kind), layer.Units, layer.Activation));
            }
            else
            {
                throw new FormatException(
                    $"Invalid NetGen architecture {ArchitectureText.Quote(text)}: layer {recurrent.Count + dense.Count + 1} is a {layer.Kind} layer after a dense layer; recurrent layers come first.");
            }
        }

        return new NetworkArchitecture(parsed.Inputs, parsed.Loss, recurrent, [.. dense]);
    }

    /// <summary>The canonical text, as the generator writes it into <see cref="INetwork.Architecture"/>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder().Append(Inputs);
        foreach (RecurrentLayer layer in _recurrentLayers)
        {
            ArchitectureText.AppendLayer(builder, KindOf(layer.Kind), layer.Units, layer.Activation);
        }

        foreach (DenseLayer layer in _layers)
        {
            ArchitectureText.AppendLayer(builder, LayerKind.Dense, layer.Units, layer.Activation);
        }

        return ArchitectureText.AppendLoss(builder, Loss).ToString();
    }

    private static void CheckLayer(int units, Activation activation, string parameter)
    {
        if (units < 1)
        {
            throw new ArgumentOutOfRangeException(parameter, units, "Every layer needs at least one unit.");
        }

        if (!Enum.IsDefined(activation))
        {
            throw new ArgumentOutOfRangeException(parameter, activation, "Undefined activation.");
        }
    }

    private static long Add(long parameters, long layerParameters, string parameter)
    {
        if (layerParameters > int.MaxValue - parameters) // parameters is at most int.MaxValue: no overflow
        {
            throw new ArgumentException("The network has more than int.MaxValue parameters.", parameter);
        }

        return parameters + layerParameters;
    }

    private static LayerKind KindOf(RecurrentKind kind) => kind switch
    {
        RecurrentKind.Gru => LayerKind.Gru,
        RecurrentKind.Lstm => LayerKind.Lstm,
        _ => LayerKind.Rnn,
    };

    private static RecurrentKind KindOf(LayerKind kind) => kind switch
    {
        LayerKind.Gru => RecurrentKind.Gru,
        LayerKind.Lstm => RecurrentKind.Lstm,
        _ => RecurrentKind.Rnn,
    };
}
