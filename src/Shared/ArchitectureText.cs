using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace NetGen.Shared;

/// <summary>The kind of a layer in an architecture text.</summary>
internal enum LayerKind
{
    /// <summary><c>units(Activation)</c>, e.g. <c>8(ReLU)</c>.</summary>
    Dense,

    /// <summary><c>Gru(units)</c>: PyTorch's <c>nn.GRU</c>, 3 gates.</summary>
    Gru,

    /// <summary><c>Lstm(units)</c>: PyTorch's <c>nn.LSTM</c>, 4 gates.</summary>
    Lstm,

    /// <summary><c>Rnn(units,Activation)</c>: PyTorch's <c>nn.RNN</c> (Elman), 1 gate.</summary>
    Rnn,
}

/// <summary>One layer of an architecture text, with the number of inputs it gets from the layer before it.</summary>
/// <param name="Kind">Dense or recurrent.</param>
/// <param name="Inputs">The previous layer's units, or the network's inputs (features per step) for the first layer.</param>
/// <param name="Units">The layer's outputs (hidden size of a recurrent layer).</param>
/// <param name="Activation">A dense layer's activation; an <c>Rnn</c>'s nonlinearity; <c>Identity</c> for <c>Gru</c> and <c>Lstm</c>.</param>
internal readonly record struct ArchitectureLayer(LayerKind Kind, int Inputs, int Units, Activation Activation)
{
    /// <summary>The layer's weights and biases (see <see cref="ArchitectureText.ParameterCount"/>).</summary>
    public long ParameterCount => ArchitectureText.ParameterCount(Kind, Inputs, Units);
}

/// <summary>A parsed architecture text: syntax checked, no rule about which layers may follow which.</summary>
internal sealed class ParsedArchitecture
{
    public ParsedArchitecture(int inputs, IReadOnlyList<ArchitectureLayer> layers, Loss loss, long parameterCount)
    {
        Inputs = inputs;
        Layers = layers;
        Loss = loss;
        ParameterCount = parameterCount;
    }

    /// <summary>The network's inputs (features per time step for a recurrent network).</summary>
    public int Inputs { get; }

    /// <summary>The layers in order, at least one.</summary>
    public IReadOnlyList<ArchitectureLayer> Layers { get; }

    public Loss Loss { get; }

    /// <summary>The number of weights and biases, at most <see cref="int.MaxValue"/>.</summary>
    public long ParameterCount { get; }
}

/// <summary>
/// NetGen's canonical architecture text, the generated <c>Architecture</c> constant that weight files record: its
/// grammar, its parser and its writer.
/// </summary>
/// <remarks>
/// <code>
/// architecture := inputs ("-" layer)+ ", " Loss
/// layer        := units "(" Activation ")"          dense: 8(ReLU)
///               | "Gru(" units ")"                   GRU: Gru(32)
///               | "Lstm(" units ")"                  LSTM: Lstm(64)
///               | "Rnn(" units "," Activation ")"    Elman RNN: Rnn(16,Tanh)
/// </code>
/// Sizes are positive decimal integers without sign or leading zeros, at most <see cref="int.MaxValue"/>; names are
/// the <see cref="Activation"/> and <see cref="Loss"/> member names and the layer names above (case-sensitive); the
/// only whitespace is the one space after the comma before the loss. A network of more than <see cref="int.MaxValue"/>
/// parameters is refused. Whether the layers make sense together (Softmax only last, recurrent layers first, an
/// <c>Rnn</c> with Tanh or ReLU, a loss that suits the output) is for the caller's validation.
/// <para>
/// Shared source (src/Shared), compiled into the generator (weight files it imports) and into NetGen.Onnx
/// (<c>NetworkArchitecture.Parse</c>), so that both accept exactly the same texts and report the same positions.
/// Never throws.
/// </para>
/// </remarks>
internal static class ArchitectureText
{
    /// <summary>The canonical form, for messages.</summary>
    public const string CanonicalForm = "inputs-units(Activation)-..., Loss, e.g. \"4-8(ReLU)-3(Softmax), CrossEntropy\"";

    private static readonly Activation[] Activations = Values<Activation>();

    private static readonly Loss[] Losses = Values<Loss>();

    private static readonly LayerKind[] RecurrentKinds = { LayerKind.Gru, LayerKind.Lstm, LayerKind.Rnn };

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <param name="text">The architecture text.</param>
    /// <param name="architecture">The parsed architecture; null on failure.</param>
    /// <param name="error">
    /// Null on success; otherwise a clause for the caller to frame, e.g.
    /// <c>expected an activation name (one of Identity, ...) at position 4, found 'R'</c>.
    /// </param>
    /// <returns>True when the text is canonical.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ParsedArchitecture? architecture, [NotNullWhen(false)] out string? error)
    {
        architecture = null;
        if (text == null)
        {
            error = "there is no architecture text";
            return false;
        }

        var reader = new Reader(text);
        if (!reader.Count("the number of inputs", out int inputs, out error))
        {
            return false;
        }

        var layers = new List<ArchitectureLayer>();
        long parameters = 0;
        int previous = inputs;
        do
        {
            if (!reader.Expect('-', layers.Count == 0 ? "'-' and the first layer after the number of inputs" : "'-' or ','", out error)
                || !TryReadLayer(ref reader, previous, out ArchitectureLayer layer, out error))
            {
                return false;
            }

            layers.Add(layer);
            if (parameters <= int.MaxValue)
            {
                // Stops once too large, and adds at most int.MaxValue + 1 at a time: no long overflow, however many layers.
                parameters += Math.Min(layer.ParameterCount, int.MaxValue + 1L);
            }

            previous = layer.Units;
        }
        while (reader.Peek() == '-');

        if (!reader.Expect(',', "'-' and another layer, or ', ' and the loss", out error)
            || !reader.Expect(' ', "one space after ','", out error)
            || !reader.Name(Losses, "a loss name", out Loss loss, out error)
            || !reader.End(out error))
        {
            return false;
        }

        if (parameters > int.MaxValue)
        {
            error = $"the network has more than {int.MaxValue} parameters";
            return false;
        }

        architecture = new ParsedArchitecture(inputs, layers.ToArray(), loss, parameters);
        return true;
    }

    /// <summary>
    /// The weights and biases of a layer with <paramref name="inputs"/> inputs and <paramref name="units"/> units:
    /// dense <c>(I + 1) H</c> (PyTorch's <c>nn.Linear</c>); recurrent <c>G H (I + H + 2)</c> with G = 3 (GRU), 4 (LSTM),
    /// 1 (RNN), PyTorch's <c>weight_ih [G H, I]</c>, <c>weight_hh [G H, H]</c>, <c>bias_ih [G H]</c>, <c>bias_hh [G H]</c>.
    /// Exact, or <see cref="long.MaxValue"/> for a count beyond it.
    /// </summary>
    public static long ParameterCount(LayerKind kind, int inputs, int units)
    {
        if (kind == LayerKind.Dense)
        {
            return ((long)inputs + 1) * units;
        }

        long gates = kind switch { LayerKind.Gru => 3, LayerKind.Lstm => 4, _ => 1 };
        long perGate = (long)units * ((long)inputs + units + 2); // below 2^63 for any two ints
        return perGate > long.MaxValue / gates ? long.MaxValue : gates * perGate;
    }

    /// <summary>Appends a layer's token with the <c>-</c> before it: <c>-8(ReLU)</c>, <c>-Gru(32)</c>, <c>-Rnn(16,Tanh)</c>.</summary>
    /// <param name="builder">The text so far, which starts with the number of inputs.</param>
    /// <param name="kind">The layer's kind.</param>
    /// <param name="units">Its units.</param>
    /// <param name="activation">A dense layer's or an <c>Rnn</c>'s activation; not written for <c>Gru</c> and <c>Lstm</c>.</param>
    public static StringBuilder AppendLayer(StringBuilder builder, LayerKind kind, int units, Activation activation)
        => AppendToken(builder.Append('-'), kind, units, activation);

    /// <summary>A layer's token alone, for messages: <c>8(ReLU)</c>, <c>Gru(32)</c>, <c>Rnn(16,Tanh)</c>.</summary>
    public static string Token(ArchitectureLayer layer) => AppendToken(new StringBuilder(), layer.Kind, layer.Units, layer.Activation).ToString();

    /// <summary>Appends the loss, after the layers: <c>, CrossEntropy</c>.</summary>
    public static StringBuilder AppendLoss(StringBuilder builder, Loss loss) => builder.Append(", ").Append(loss.ToString());

    /// <summary>
    /// <paramref name="text"/> in double quotes for a message: control and other invisible characters as <c>\uXXXX</c>,
    /// and a long text shortened in the middle, so a damaged or hostile text cannot break a message's line.
    /// </summary>
    public static string Quote(string text)
    {
        const int Limit = 120;
        var builder = new StringBuilder(Math.Min(text.Length, Limit) + 8).Append('"');
        if (text.Length <= Limit)
        {
            AppendEscaped(builder, text, 0, text.Length);
        }
        else
        {
            AppendEscaped(builder, text, 0, Limit / 2);
            builder.Append("...");
            AppendEscaped(builder, text, text.Length - (Limit / 2), Limit / 2);
        }

        return builder.Append('"').ToString();
    }

    private static StringBuilder AppendToken(StringBuilder builder, LayerKind kind, int units, Activation activation)
    {
        string count = units.ToString(CultureInfo.InvariantCulture);
        return kind switch
        {
            LayerKind.Dense => builder.Append(count).Append('(').Append(activation.ToString()).Append(')'),
            LayerKind.Rnn => builder.Append("Rnn(").Append(count).Append(',').Append(activation.ToString()).Append(')'),
            _ => builder.Append(kind.ToString()).Append('(').Append(count).Append(')'),
        };
    }

    /// <summary>One layer after its <c>-</c>: a dense layer starts with a digit, a recurrent one with its name.</summary>
    private static bool TryReadLayer(ref Reader reader, int inputs, out ArchitectureLayer layer, [NotNullWhen(false)] out string? error)
    {
        layer = default;
        char first = reader.Peek();
        if (first >= '0' && first <= '9')
        {
            if (!reader.Count("a layer's number of units", out int units, out error)
                || !reader.Expect('(', "'(' and the layer's activation after its number of units", out error)
                || !reader.Name(Activations, "an activation name", out Activation activation, out error)
                || !reader.Expect(')', "')' after the activation", out error))
            {
                return false;
            }

            layer = new ArchitectureLayer(LayerKind.Dense, inputs, units, activation);
            return true;
        }

        if (!reader.Name(RecurrentKinds, "a layer's number of units, or a recurrent layer", out LayerKind kind, out error)
            || !reader.Expect('(', $"'(' after {kind}", out error)
            || !reader.Count($"{kind}'s number of units", out int hidden, out error))
        {
            return false;
        }

        Activation nonlinearity = Activation.Identity;
        if (kind == LayerKind.Rnn
            && (!reader.Expect(',', "',' and the activation after Rnn's number of units", out error)
                || !reader.Name(Activations, "an activation name", out nonlinearity, out error)))
        {
            return false;
        }

        if (!reader.Expect(')', kind == LayerKind.Rnn ? "')' after Rnn's activation" : $"')' after {kind}'s number of units", out error))
        {
            return false;
        }

        layer = new ArchitectureLayer(kind, inputs, hidden, nonlinearity);
        return true;
    }

    private static TEnum[] Values<TEnum>()
        where TEnum : struct, Enum =>
#if NET
        Enum.GetValues<TEnum>(); // the generic overload is safe for Native AOT
#else
        (TEnum[])Enum.GetValues(typeof(TEnum)); // netstandard2.0 has no generic overload
#endif

    /// <summary>A character found in the text, for a message: <c>'c'</c>, or <c>U+XXXX</c> when it is not visible.</summary>
    private static string Describe(char c) =>
        IsVisible(c) ? "'" + c + "'" : "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);

    private static void AppendEscaped(StringBuilder builder, string text, int start, int count)
    {
        for (int i = start; i < start + count; i++)
        {
            char c = text[i];
            if (c == '"' || c == '\\')
            {
                builder.Append('\\').Append(c);
            }
            else if (IsVisible(c))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
        }
    }

    private static bool IsVisible(char c)
    {
        switch (CharUnicodeInfo.GetUnicodeCategory(c))
        {
            case UnicodeCategory.Control:
            case UnicodeCategory.Format:
            case UnicodeCategory.LineSeparator:
            case UnicodeCategory.ParagraphSeparator:
            case UnicodeCategory.Surrogate:
            case UnicodeCategory.PrivateUse:
            case UnicodeCategory.OtherNotAssigned:
                return false;
            case UnicodeCategory.SpaceSeparator:
                return c == ' ';
            default:
                return true;
        }
    }

    /// <summary>A cursor over the text; each step reports what it expected and where.</summary>
    private struct Reader
    {
        private readonly string _text;
        private int _position;

        public Reader(string text)
        {
            _text = text;
            _position = 0;
        }

        public readonly char Peek() => _position < _text.Length ? _text[_position] : '\0';

        public bool Expect(char c, string expected, [NotNullWhen(false)] out string? error)
        {
            if (_position >= _text.Length || _text[_position] != c)
            {
                error = Error(expected);
                return false;
            }

            _position++;
            error = null;
            return true;
        }

        public bool Count(string expected, out int count, [NotNullWhen(false)] out string? error)
        {
            count = 0;
            int start = _position;
            long value = 0;
            while (_position < _text.Length && _text[_position] >= '0' && _text[_position] <= '9')
            {
                value = (value * 10) + (_text[_position] - '0');
                if (value > int.MaxValue)
                {
                    _position = start;
                    error = Error($"{expected} (at most {int.MaxValue})");
                    return false;
                }

                _position++;
            }

            if (_position == start || value == 0 || _text[start] == '0')
            {
                _position = start;
                error = Error($"{expected} (a positive integer without sign or leading zeros)");
                return false;
            }

            count = (int)value;
            error = null;
            return true;
        }

        /// <summary>A name made of ASCII letters that is one of <paramref name="values"/>' member names.</summary>
        public bool Name<TEnum>(TEnum[] values, string expected, out TEnum result, [NotNullWhen(false)] out string? error)
            where TEnum : struct, Enum
        {
            int start = _position;
            while (_position < _text.Length && IsAsciiLetter(_text[_position]))
            {
                _position++;
            }

            string name = _text.Substring(start, _position - start);
            foreach (TEnum value in values)
            {
                if (string.Equals(value.ToString(), name, StringComparison.Ordinal))
                {
                    result = value;
                    error = null;
                    return true;
                }
            }

            _position = start;
            result = default;
            error = Error($"{expected} (one of {string.Join(", ", values)})");
            return false;
        }

        public readonly bool End([NotNullWhen(false)] out string? error)
        {
            error = _position == _text.Length ? null : Error("the end of the text after the loss");
            return error == null;
        }

        private static bool IsAsciiLetter(char c) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');

        private readonly string Error(string expected)
        {
            string found = _position < _text.Length ? Describe(_text[_position]) : "the end of the text";
            return $"expected {expected} at position {_position}, found {found}";
        }
    }
}
