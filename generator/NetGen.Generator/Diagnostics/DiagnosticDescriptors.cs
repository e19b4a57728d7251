using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Diagnostics;

/// <summary>Every diagnostic NetGen reports. Documented, with examples and fixes, in docs/diagnostics.md.</summary>
internal static class DiagnosticDescriptors
{
    public const string Category = "NetGen";

    /// <summary>
    /// docs/diagnostics.md in the repository (<see cref="ProjectUrls.Documentation"/>, from Directory.Build.props): each
    /// diagnostic's help link is this address and the anchor of its section, <c>#ng0001</c>, ... The same file is in the
    /// NetGen package, at <c>docs/diagnostics.md</c>, for reading offline.
    /// </summary>
    public const string DocumentUrl = ProjectUrls.Documentation + "/diagnostics.md";

    public static readonly DiagnosticDescriptor NotPartial = Error(
        "NG0001",
        "Network type must be partial",
        "'{0}' has [Network] but is not declared partial, so NetGen cannot add its members; add the 'partial' modifier");

    public static readonly DiagnosticDescriptor NoLayers = Error(
        "NG0002",
        "Network has no layers",
        "Network '{0}' has no [Dense] layers; add at least one [Dense(units, activation)] attribute, the last one being the output layer");

    public static readonly DiagnosticDescriptor InputsOutOfRange = Error(
        "NG0003",
        "Network inputs must be at least 1",
        "Network '{0}' declares {1} inputs; a network needs at least 1 input");

    public static readonly DiagnosticDescriptor UnitsOutOfRange = Error(
        "NG0004",
        "Dense units must be at least 1",
        "Layer {0} of '{1}' declares {2} units; a layer needs at least 1 unit");

    public static readonly DiagnosticDescriptor SoftmaxNotLast = Error(
        "NG0005",
        "Softmax is only allowed on the last layer",
        "Layer {0} of '{1}' uses Softmax, which is only allowed on the output layer; use ReLU, Tanh or Sigmoid for hidden layers");

    public static readonly DiagnosticDescriptor LossIncompatible = Error(
        "NG0006",
        "Loss is incompatible with the output activation",
        "Loss.{0} of '{1}' needs an output layer with Activation.{2}, but the last layer uses Activation.{3}");

    public static readonly DiagnosticDescriptor LayersSplitAcrossDeclarations = Error(
        "NG0007",
        "Layers split across partial declarations",
        "This [Dense] layer of '{0}' is on a different partial declaration than its [Network] attribute; declare all layers on the declaration that has [Network] so that their order is defined");

    public static readonly DiagnosticDescriptor GenericType = Error(
        "NG0008",
        "Generic network types are not supported",
        "'{0}' is generic or nested in a generic type; declare the network on a non-generic class");

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error(
        "NG0009",
        "Containing type must be partial",
        "'{0}' is nested in '{1}', which is not partial; make '{1}' partial so that NetGen can extend the nested network");

    public static readonly DiagnosticDescriptor NetworkTooLarge = Error(
        "NG0010",
        "Network too large",
        "Network '{0}' is too large: {1}");

    public static readonly DiagnosticDescriptor UnknownEnumValue = Error(
        "NG0011",
        "Unknown activation or loss",
        "{0} is not a defined {1} value");

    public static readonly DiagnosticDescriptor StaticType = Error(
        "NG0012",
        "Network type must not be static",
        "'{0}' is static; a trainable network holds its weights in instance fields, so declare it as a non-static partial class (only a frozen network, from [WeightsFile] or [OnnxNetwork], may be static)");

    public static readonly DiagnosticDescriptor UnsupportedTarget = Error(
        "NG0013",
        "Compilation does not support generated networks",
        "NetGen cannot generate a network this compilation can compile: {0}");

    public static readonly DiagnosticDescriptor DenseWithoutNetwork = Error(
        "NG0014",
        "[Dense] without [Network]",
        "'{0}' has {1} layers but no [Network(inputs)] attribute, so no network is generated; add [Network(inputs)]");

    public static readonly DiagnosticDescriptor ModelFileNotListed = Error(
        "NG0015",
        "Model file is not an AdditionalFiles item",
        "No AdditionalFiles item matches '{0}'; list the file in the project, e.g. <AdditionalFiles Include=\"{0}\" />, and give its path relative to the project directory");

    public static readonly DiagnosticDescriptor ModelFileAmbiguous = Error(
        "NG0016",
        "Model file path is ambiguous",
        "'{0}' matches {1} AdditionalFiles items ({2}); give more of the path so that it names one");

    public static readonly DiagnosticDescriptor ModelFileUnreadable = Error(
        "NG0017",
        "Model file cannot be read",
        "Model file '{0}' cannot be read: {1}");

    public static readonly DiagnosticDescriptor ModelFileCorrupt = Error(
        "NG0018",
        "Model file is corrupt",
        "Model file '{0}' is damaged or not a model: {1}");

    public static readonly DiagnosticDescriptor ModelUnsupported = Error(
        "NG0019",
        "Model is not a network NetGen can import",
        "Model file '{0}' is not a network NetGen can import: {1}");

    public static readonly DiagnosticDescriptor ModelMismatch = Error(
        "NG0020",
        "Model file does not match the declared network",
        "Model file '{0}' holds the network {1}, but '{2}' declares {3}");

    public static readonly DiagnosticDescriptor ModelAttributeMisused = Error(
        "NG0021",
        "Model file attribute used on the wrong kind of declaration",
        "'{0}' {1}");

    public static readonly DiagnosticDescriptor RecurrentAfterDense = Error(
        "NG0022",
        "Recurrent layer after a dense layer",
        "Layer {0} of '{1}' is a {2} layer after the dense layer {3}; recurrent layers read the sequence and come first, and the [Dense] layers after them read the last hidden state, so move it before the [Dense] layers");

    public static readonly DiagnosticDescriptor RnnActivation = Error(
        "NG0023",
        "Rnn activation must be Tanh or ReLU",
        "Layer {0} of '{1}' is an [Rnn] layer with Activation.{2}; an Elman RNN's nonlinearity is Activation.Tanh or Activation.ReLU, as in PyTorch's nn.RNN");

    public static readonly DiagnosticDescriptor MaxStepsOutOfRange = Error(
        "NG0024",
        "MaxSteps must be at least 1",
        "Sequence network '{0}' declares MaxSteps = {1}; Backward needs room for at least 1 step");

    public static readonly DiagnosticDescriptor MemberConflict = Error(
        "NG0025",
        "Member conflicts with a generated member",
        "Network '{0}' {1}");

    public static readonly DiagnosticDescriptor InternalError = Error(
        "NG9999",
        "NetGen internal error",
        "NetGen could not generate '{0}' because of an internal error ({1}); please report it");

    private static DiagnosticDescriptor Error(string id, string title, string message) => new(
        id,
        title,
        message,
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: DocumentUrl + "#" + id.ToLowerInvariant());
}
