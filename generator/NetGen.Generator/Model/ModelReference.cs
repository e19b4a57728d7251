using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Model;

/// <summary>What the parser found on one network type: a complete declaration, a model file to resolve, or both.</summary>
/// <param name="Type">Where the generated partial class goes.</param>
/// <param name="Declared">The <c>[Network]</c>/<c>[Dense]</c> declaration; null for <c>[OnnxNetwork]</c>, whose layers come from the file.</param>
/// <param name="Model">The <c>[WeightsFile]</c> or <c>[OnnxNetwork]</c> file, or null for a network initialised from a seed.</param>
internal sealed record NetworkDeclaration(TypeSpec Type, NetworkSpec? Declared, ModelReference? Model);

/// <summary>A declaration's reference to a model file, to be resolved against the compilation's AdditionalFiles.</summary>
/// <param name="Path">The path as written in the attribute.</param>
/// <param name="Frozen">Inference-only with compiled-in weights, rather than trainable and initialised from the file.</param>
/// <param name="Loss">The loss named in the attribute, if any.</param>
/// <param name="Tree">The syntax tree of the attribute, for diagnostics.</param>
/// <param name="PathSpan">The path argument: file problems are reported here.</param>
/// <param name="AttributeSpan">The whole attribute: problems with the network the file describes are reported here.</param>
internal sealed record ModelReference(string Path, bool Frozen, Loss? Loss, SyntaxTree? Tree, TextSpan PathSpan, TextSpan AttributeSpan)
{
    /// <summary>For a sequence network from <c>[OnnxNetwork]</c>, the <c>MaxSteps</c> it names (a declared network has its own).</summary>
    public int MaxSteps { get; init; } = NetworkSpec.DefaultMaxSteps;

    public DiagnosticInfo AtPath(DiagnosticDescriptor descriptor, params object[] arguments)
        => DiagnosticInfo.Create(descriptor, Tree, PathSpan, arguments);

    public DiagnosticInfo AtAttribute(DiagnosticDescriptor descriptor, params object[] arguments)
        => DiagnosticInfo.Create(descriptor, Tree, AttributeSpan, arguments);
}

/// <summary>A model file's weights, compiled into the generated type.</summary>
/// <param name="Path">The path as written in the attribute (never the absolute path: generated code must not depend on the machine).</param>
/// <param name="Frozen">Inference-only, or trainable and initialised from these weights.</param>
/// <param name="Parameters">The weights in <c>Parameters</c> layout.</param>
/// <param name="InputMeans">The means of the file's standardizer, or empty when it has none.</param>
/// <param name="InputStandardDeviations">Its standard deviations, or empty.</param>
internal sealed record ModelWeights(string Path, bool Frozen, EquatableArray<float> Parameters, EquatableArray<float> InputMeans, EquatableArray<float> InputStandardDeviations)
{
    public bool HasStandardizer => InputMeans.Count > 0;
}

/// <summary>One model file from the AdditionalFiles, read and imported once per change of the file.</summary>
/// <param name="OriginalPath">The full path of the file the user listed (not of its encoded copy).</param>
/// <param name="Error">Why the file could not be read, or null.</param>
/// <param name="Network">The imported network (possibly a failed import, with its own error); null when <paramref name="Error"/> is set.</param>
internal sealed record ModelFile(string OriginalPath, string? Error, ImportedNetwork? Network);
