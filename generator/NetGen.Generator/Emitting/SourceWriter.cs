using System;
using System.Text;

namespace NetGen.Generator.Emitting;

/// <summary>
/// An indentation-aware text writer for generated C#, fed with short literal strings (the approach of
/// System.Text.Json's generator): cheaper and far more readable than SyntaxFactory for unrolled code.
/// </summary>
internal sealed class SourceWriter
{
    private const int IndentSize = 4;
    private readonly StringBuilder _builder = new();
    private int _indentation;

    /// <summary>Writes <paramref name="text"/> at the current indentation; every line of a multi-line text is indented.</summary>
    public SourceWriter WriteLine(string text = "")
    {
        foreach (string line in text.Split('\n'))
        {
            if (line.Length > 0)
            {
                _builder.Append(' ', _indentation * IndentSize);
            }

            _builder.Append(line).Append('\n');
        }

        return this;
    }

    /// <summary>Writes <paramref name="line"/> (if any) and an opening brace, then indents.</summary>
    public SourceWriter OpenBlock(string line)
    {
        if (line.Length > 0)
        {
            WriteLine(line);
        }

        WriteLine("{");
        _indentation++;
        return this;
    }

    /// <summary>Outdents and writes a closing brace.</summary>
    public SourceWriter CloseBlock(string suffix = "")
    {
        if (_indentation == 0)
        {
            throw new InvalidOperationException("No block is open.");
        }

        _indentation--;
        return WriteLine("}" + suffix);
    }

    public override string ToString() => _builder.ToString();
}
