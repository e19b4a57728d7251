using System.Linq;

namespace NetGen.Generator.Model;

/// <summary>A validated network declaration: everything the planner and emitter need, as plain data.</summary>
/// <param name="Type">Where the generated partial class goes.</param>
/// <param name="Inputs">The number of inputs.</param>
/// <param name="Loss">The loss <c>Backward</c> differentiates.</param>
/// <param name="Layers">The layers in order (recurrent layers first, then at least one dense layer); never empty.</param>
/// <param name="Weights">Weights compiled in from a model file, or null for a network initialised from a seed.</param>
internal sealed record NetworkSpec(TypeSpec Type, int Inputs, Loss Loss, EquatableArray<LayerSpec> Layers, ModelWeights? Weights = null)
{
    /// <summary>The default of <c>[Network].MaxSteps</c> (<c>NetworkAttribute.DefaultMaxSteps</c>).</summary>
    public const int DefaultMaxSteps = 256;

    /// <summary>For a sequence network, the longest sequence <c>Backward</c> accepts.</summary>
    public int MaxSteps { get; init; } = DefaultMaxSteps;

    /// <summary>Whether the network reads sequences: its first layer is recurrent.</summary>
    public bool IsSequence => Layers.Count > 0 && Layers[0].IsRecurrent;

    public int Outputs => Layers[Layers.Count - 1].Units;

    public LayerSpec OutputLayer => Layers[Layers.Count - 1];

    public long ParameterCount => Layers.Sum(layer => layer.ParameterCount);

    public long MultiplyAdds => Layers.Sum(layer => layer.MultiplyAdds);

    /// <summary>The layers in NetGen's canonical form without the loss, e.g. <c>4-8(ReLU)-3(Softmax)</c> or <c>6-Gru(32)-4(Softmax)</c>.</summary>
    public static string DescribeLayers(int inputs, EquatableArray<LayerSpec> layers) => ArchitectureMapping.DescribeLayers(inputs, layers);

    /// <summary>The canonical architecture text, e.g. <c>4-8(ReLU)-3(Softmax), CrossEntropy</c>: what weight files record.</summary>
    public string Architecture => ArchitectureMapping.Describe(Inputs, Layers, Loss);

    /// <summary>Inference-only: static members over compiled-in weights, no training members.</summary>
    public bool IsFrozen => Weights is { Frozen: true };

    /// <summary>What the declaration's compilation offers the generated code.</summary>
    public CodeTarget Target => Type.Target;
}

/// <summary>The declaration the generated code extends.</summary>
/// <param name="Namespace">The containing namespace, or empty for the global namespace.</param>
/// <param name="Name">The type's name.</param>
/// <param name="Keyword">The declaration keyword(s): <c>class</c> or <c>record</c>.</param>
/// <param name="ContainingTypes">Enclosing types, outermost first, as <c>keyword name</c>.</param>
/// <remarks>
/// Names are as the compiler knows them, without the <c>@</c> of a keyword used as a name (<c>@class</c> is
/// <c>class</c>); the emitter escapes them where it writes code (<c>Emitting.CSharpNames</c>).
/// </remarks>
internal sealed record TypeSpec(string Namespace, string Name, string Keyword, EquatableArray<string> ContainingTypes)
{
    /// <summary>
    /// The type's own members, inherited members, primary constructor and own name that could conflict with a generated
    /// member (their names are among those NetGen may generate): empty for almost every network, so that edits
    /// elsewhere in the file leave the model unchanged.
    /// </summary>
    public EquatableArray<UserMember> Members { get; init; } = EquatableArray<UserMember>.Empty;

    /// <summary>What the declaration's compilation offers the generated code.</summary>
    public CodeTarget Target { get; init; } = CodeTarget.Modern;

    /// <summary>The dotted name without <c>global::</c>, e.g. <c>MyApp.Outer.SeedNet</c>.</summary>
    public string FullName
    {
        get
        {
            var builder = new System.Text.StringBuilder();
            if (Namespace.Length > 0)
            {
                builder.Append(Namespace).Append('.');
            }

            foreach (string containing in ContainingTypes)
            {
                builder.Append(containing.Substring(containing.LastIndexOf(' ') + 1)).Append('.');
            }

            return builder.Append(Name).ToString();
        }
    }

    /// <summary>
    /// A file name unique within the compilation, e.g. <c>MyApp.Outer.SeedNet.g.cs</c>. Roslyn takes only letters,
    /// digits and a few punctuation characters in hint names: any other character of a name (a connector or combining
    /// mark, a formatting character) becomes <c>_</c>, and a hash of the full name keeps such names apart.
    /// </summary>
    public string HintName
    {
        get
        {
            string fullName = FullName;
            char[] safe = fullName.Select(c => char.IsLetterOrDigit(c) || c == '.' || c == '_' ? c : '_').ToArray();
            if (safe.SequenceEqual(fullName))
            {
                return fullName + ".g.cs";
            }

            uint hash = 2166136261; // FNV-1a, stable across processes (string.GetHashCode is not)
            foreach (char c in fullName)
            {
                hash = (hash ^ c) * 16777619;
            }

            return new string(safe) + "." + hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + ".g.cs";
        }
    }
}
