using System;
using System.Collections.Generic;
using System.Text;

namespace NetGen.Onnx;

/// <summary>One dense layer of a <see cref="NetworkArchitecture"/>: <c>z = W x + b</c> then the activation.</summary>
/// <param name="Units">The layer's outputs (at least 1).</param>
/// <param name="Activation">The activation applied to them.</param>
public readonly record struct DenseLayer(int Units, Activation Activation);

/// <summary>
/// A network's layer structure as data, read from NetGen's canonical architecture text
/// (<see cref="INetwork.Architecture"/>): <c>inputs-units(Activation)-units(Activation)..., Loss</c>, e.g.
/// <c>4-8(ReLU)-3(Softmax), CrossEntropy</c>. Sizes are positive decimal integers without sign or leading zeros,
/// activation and loss names are the <see cref="Activation"/> and <see cref="NetGen.Loss"/> member names (case-sensitive),
/// and the loss follows a comma and exactly one space. Nothing else (other whitespace, empty layers) is accepted.
/// </summary>
public sealed class NetworkArchitecture
{
    private readonly DenseLayer[] _layers;

    /// <summary>Creates an architecture from its parts.</summary>
    /// <param name="inputs">The number of inputs (at least 1).</param>
    /// <param name="loss">The loss the network trains with.</param>
    /// <param name="layers">The layers, input to output (at least one, each with at least one unit).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1, or an enum value is undefined.</exception>
    /// <exception cref="ArgumentException">There is no layer, or the parameter count exceeds <see cref="int.MaxValue"/>.</exception>
    public NetworkArchitecture(int inputs, Loss loss, params DenseLayer[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        if (!Enum.IsDefined(loss))
        {
            throw new ArgumentOutOfRangeException(nameof(loss), loss, "Undefined loss.");
        }

        if (layers.Length == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        long parameters = 0;
        int previous = inputs;
        foreach (DenseLayer layer in layers)
        {
            if (layer.Units < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(layers), layer.Units, "Every layer needs at least one unit.");
            }

            if (!Enum.IsDefined(layer.Activation))
            {
                throw new ArgumentOutOfRangeException(nameof(layers), layer.Activation, "Undefined activation.");
            }

            parameters += ((long)previous + 1) * layer.Units;
            if (parameters > int.MaxValue)
            {
                throw new ArgumentException("The network has more than int.MaxValue parameters.", nameof(layers));
            }

            previous = layer.Units;
        }

        Inputs = inputs;
        Loss = loss;
        _layers = (DenseLayer[])layers.Clone();
        ParameterCount = (int)parameters;
    }

    /// <summary>The number of inputs per sample.</summary>
    public int Inputs { get; }

    /// <summary>The loss the network trains with (not part of the exported inference graph).</summary>
    public Loss Loss { get; }

    /// <summary>The layers, input to output.</summary>
    public IReadOnlyList<DenseLayer> Layers => _layers;

    /// <summary>The number of outputs per sample (the last layer's units).</summary>
    public int Outputs => _layers[^1].Units;

    /// <summary>The number of weights and biases, as <see cref="INetwork.ParameterCount"/>.</summary>
    public int ParameterCount { get; }

    /// <summary>The number of inputs of layer <paramref name="layer"/> (the previous layer's units, or <see cref="Inputs"/>).</summary>
    /// <param name="layer">A layer index.</param>
    public int InputsOf(int layer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, _layers.Length);
        return layer == 0 ? Inputs : _layers[layer - 1].Units;
    }

    /// <summary>The architecture of the generated network class <typeparamref name="TNet"/>, parsed from its <c>Architecture</c>.</summary>
    /// <typeparam name="TNet">A class completed by the NetGen generator.</typeparam>
    /// <exception cref="FormatException">The class's architecture text is not in NetGen's canonical form.</exception>
    /// <exception cref="InvalidOperationException">The text disagrees with the class's input, output or parameter count.</exception>
    public static NetworkArchitecture Of<TNet>()
        where TNet : INetwork
    {
        NetworkArchitecture architecture = Parse(TNet.Architecture);
        if (architecture.Inputs != TNet.InputCount || architecture.Outputs != TNet.OutputCount
            || architecture.ParameterCount != TNet.ParameterCount)
        {
            throw new InvalidOperationException(
                $"{typeof(TNet).Name}.Architecture \"{TNet.Architecture}\" describes {architecture.Inputs} inputs, {architecture.Outputs} outputs " +
                $"and {architecture.ParameterCount} parameters, but the class has {TNet.InputCount}, {TNet.OutputCount} and {TNet.ParameterCount}.");
        }

        return architecture;
    }

    /// <summary>Parses NetGen's canonical architecture text (see <see cref="NetworkArchitecture"/>).</summary>
    /// <param name="text">The text, e.g. <c>4-8(ReLU)-3(Softmax), CrossEntropy</c>.</param>
    /// <returns>The architecture; its <see cref="ToString"/> gives <paramref name="text"/> back.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">The text is not in the canonical form; the message names the position and what was expected.</exception>
    public static NetworkArchitecture Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new Reader(text);
        int inputs = reader.Count("the number of inputs");
        var layers = new List<DenseLayer>();
        do
        {
            reader.Expect('-', layers.Count == 0 ? "'-' and the first layer after the number of inputs" : "'-' or ','");
            int units = reader.Count("a layer's number of units");
            reader.Expect('(', "'(' and the layer's activation after its number of units");
            Activation activation = reader.Name<Activation>("an activation name");
            reader.Expect(')', "')' after the activation");
            layers.Add(new DenseLayer(units, activation));
        }
        while (reader.Peek() == '-');

        reader.Expect(',', "'-' and another layer, or ', ' and the loss");
        reader.Expect(' ', "one space after ','");
        Loss loss = reader.Name<Loss>("a loss name");
        reader.End();
        try
        {
            return new NetworkArchitecture(inputs, loss, [.. layers]);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"Invalid NetGen architecture \"{text}\": {e.Message}", e);
        }
    }

    /// <summary>The canonical text, as the generator writes it into <see cref="INetwork.Architecture"/>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder().Append(Inputs);
        foreach (DenseLayer layer in _layers)
        {
            builder.Append('-').Append(layer.Units).Append('(').Append(layer.Activation.ToString()).Append(')');
        }

        return builder.Append(", ").Append(Loss.ToString()).ToString();
    }

    /// <summary>A cursor over the text that throws <see cref="FormatException"/> naming the position and what it expected.</summary>
    private struct Reader(string text)
    {
        private int _position;

        public readonly char Peek() => _position < text.Length ? text[_position] : '\0';

        public void Expect(char c, string expected)
        {
            if (Peek() != c)
            {
                throw Error(expected);
            }

            _position++;
        }

        public int Count(string expected)
        {
            int start = _position;
            long value = 0;
            while (_position < text.Length && text[_position] is >= '0' and <= '9')
            {
                value = (value * 10) + (text[_position] - '0');
                if (value > int.MaxValue)
                {
                    _position = start;
                    throw Error($"{expected} (at most {int.MaxValue})");
                }

                _position++;
            }

            if (_position == start || value == 0 || (text[start] == '0'))
            {
                _position = start;
                throw Error($"{expected} (a positive integer without sign or leading zeros)");
            }

            return (int)value;
        }

        public TEnum Name<TEnum>(string expected)
            where TEnum : struct, Enum
        {
            int start = _position;
            while (_position < text.Length && char.IsAsciiLetter(text[_position]))
            {
                _position++;
            }

            string name = text[start.._position];
            foreach (TEnum value in Enum.GetValues<TEnum>())
            {
                if (string.Equals(value.ToString(), name, StringComparison.Ordinal))
                {
                    return value;
                }
            }

            _position = start;
            throw Error($"{expected} (one of {string.Join(", ", Enum.GetNames<TEnum>())})");
        }

        public readonly void End()
        {
            if (_position != text.Length)
            {
                throw Error("the end of the text after the loss");
            }
        }

        private readonly FormatException Error(string expected)
        {
            string found = _position < text.Length ? $"'{text[_position]}'" : "the end of the text";
            return new FormatException(
                $"Invalid NetGen architecture \"{text}\": expected {expected} at position {_position}, found {found}. " +
                "The canonical form is inputs-units(Activation)-..., Loss, e.g. \"4-8(ReLU)-3(Softmax), CrossEntropy\".");
        }
    }
}
