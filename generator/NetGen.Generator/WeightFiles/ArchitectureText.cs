using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using NetGen.Generator.Model;

namespace NetGen.Generator.WeightFiles;

/// <summary>
/// The strict parser of NetGen's canonical architecture text, the generated <c>Architecture</c> property:
/// <c>inputs-units(Activation)-units(Activation)..., Loss</c>, e.g. <c>4-8(ReLU)-3(Softmax), CrossEntropy</c>.
/// </summary>
/// <remarks>
/// Accepts exactly what the runtime's <c>NetGen.Onnx.NetworkArchitecture.Parse</c> accepts, and reports the same
/// positions: sizes are positive decimal integers without sign or leading zeros, at most <see cref="int.MaxValue"/>;
/// names are the <see cref="ActivationKind"/> and <see cref="LossKind"/> member names (case-sensitive); the loss
/// follows a comma and exactly one space; nothing else (other whitespace, empty layers, trailing text) is accepted,
/// nor a network of more than <see cref="int.MaxValue"/> parameters. Whether the layers make sense together (Softmax
/// only last, a loss that suits the output) is not checked here.
/// </remarks>
internal static class ArchitectureText
{
    /// <summary>The canonical form, for messages.</summary>
    public const string CanonicalForm = "inputs-units(Activation)-..., Loss, e.g. \"4-8(ReLU)-3(Softmax), CrossEntropy\"";

    private static readonly ActivationKind[] Activations = (ActivationKind[])Enum.GetValues(typeof(ActivationKind));

    private static readonly LossKind[] Losses = (LossKind[])Enum.GetValues(typeof(LossKind));

    /// <summary>Parses <paramref name="text"/>; never throws.</summary>
    /// <param name="text">The architecture text.</param>
    /// <param name="inputs">The number of inputs; 0 on failure.</param>
    /// <param name="layers">The layers in order, each with its number of inputs filled in; empty on failure.</param>
    /// <param name="loss">The loss; <see cref="LossKind.MeanSquaredError"/> on failure.</param>
    /// <param name="error">
    /// Null on success; otherwise a clause for the caller to prefix with the text, e.g.
    /// <c>expected an activation name (one of Identity, ...) at position 4, found 'R'</c>.
    /// </param>
    /// <returns>True when the text is canonical.</returns>
    public static bool TryParse(string text, out int inputs, out EquatableArray<LayerSpec> layers, out LossKind loss, out string? error)
    {
        inputs = 0;
        layers = EquatableArray<LayerSpec>.Empty;
        loss = LossKind.MeanSquaredError;
        if (text == null)
        {
            error = "there is no architecture text";
            return false;
        }

        var reader = new Reader(text);
        if (!reader.Count("the number of inputs", out int parsedInputs, out error))
        {
            return false;
        }

        var parsed = new List<LayerSpec>();
        long parameters = 0;
        int previous = parsedInputs;
        do
        {
            if (!reader.Expect('-', parsed.Count == 0 ? "'-' and the first layer after the number of inputs" : "'-' or ','", out error)
                || !reader.Count("a layer's number of units", out int units, out error)
                || !reader.Expect('(', "'(' and the layer's activation after its number of units", out error)
                || !reader.Name(Activations, "an activation name", out ActivationKind activation, out error)
                || !reader.Expect(')', "')' after the activation", out error))
            {
                return false;
            }

            parsed.Add(new LayerSpec(previous, units, activation));
            if (parameters <= int.MaxValue)
            {
                parameters += ((long)previous + 1) * units; // stops once too large: no long overflow over many layers
            }

            previous = units;
        }
        while (reader.Peek() == '-');

        if (!reader.Expect(',', "'-' and another layer, or ', ' and the loss", out error)
            || !reader.Expect(' ', "one space after ','", out error)
            || !reader.Name(Losses, "a loss name", out LossKind parsedLoss, out error)
            || !reader.End(out error))
        {
            return false;
        }

        if (parameters > int.MaxValue)
        {
            error = $"the network has more than {int.MaxValue} parameters";
            return false;
        }

        inputs = parsedInputs;
        layers = new EquatableArray<LayerSpec>(parsed.ToArray());
        loss = parsedLoss;
        return true;
    }

    /// <summary>
    /// <paramref name="text"/> in double quotes for a message: control and other invisible characters as <c>\uXXXX</c>,
    /// and a long text shortened in the middle, so a damaged or hostile text cannot break a diagnostic's line.
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

    /// <summary>A cursor over the text; each step reports what it expected and where, as the runtime's parser does.</summary>
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

        public bool Expect(char c, string expected, out string? error)
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

        public bool Count(string expected, out int count, out string? error)
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

        public bool Name<TEnum>(TEnum[] values, string expected, out TEnum result, out string? error)
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

        public readonly bool End(out string? error)
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
