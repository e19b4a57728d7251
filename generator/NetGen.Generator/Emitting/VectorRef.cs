using System.Globalization;

namespace NetGen.Generator.Emitting;

/// <summary>
/// How generated code names element <c>i</c> of a vector: a span (<c>h1[3]</c>) or a set of locals (<c>h1_3</c>).
/// Loops need spans; straight-line code reads either.
/// </summary>
internal readonly struct VectorRef
{
    private VectorRef(string name, bool isSpan)
    {
        Name = name;
        IsSpan = isSpan;
    }

    public string Name { get; }

    public bool IsSpan { get; }

    public static VectorRef Span(string name) => new(name, isSpan: true);

    public static VectorRef Locals(string name) => new(name, isSpan: false);

    public string this[int index] => IsSpan
        ? Name + "[" + index.ToString(CultureInfo.InvariantCulture) + "]"
        : Name + "_" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The left-hand side that assigns element <paramref name="index"/> (declaring it when it is a local).</summary>
    public string Assign(int index) => IsSpan ? this[index] : "float " + this[index];
}
