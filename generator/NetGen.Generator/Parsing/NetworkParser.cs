using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Validation;
using NetGen.Shared;

namespace NetGen.Generator.Parsing;

/// <summary>
/// Turns a type carrying <c>[Network]</c> or <c>[OnnxNetwork]</c> into a <see cref="NetworkDeclaration"/> plus
/// diagnostics. Everything that reads symbols or syntax happens here; what leaves is plain data.
/// </summary>
internal static class NetworkParser
{
    public const string NetworkAttributeName = "NetGen.NetworkAttribute";
    public const string DenseAttributeName = "NetGen.DenseAttribute";
    public const string GruAttributeName = "NetGen.GruAttribute";
    public const string LstmAttributeName = "NetGen.LstmAttribute";
    public const string RnnAttributeName = "NetGen.RnnAttribute";
    public const string WeightsFileAttributeName = "NetGen.WeightsFileAttribute";
    public const string OnnxNetworkAttributeName = "NetGen.OnnxNetworkAttribute";

    /// <summary>The layer attributes, by metadata name, with the kind each declares.</summary>
    private static readonly (string Name, LayerKind Kind)[] LayerAttributes =
    {
        (DenseAttributeName, LayerKind.Dense),
        (GruAttributeName, LayerKind.Gru),
        (LstmAttributeName, LayerKind.Lstm),
        (RnnAttributeName, LayerKind.Rnn),
    };

    private const int CSharp12 = 1200; // LanguageVersion.CSharp12; Roslyn 4.3 predates the enum member.
    private const int CSharp11 = 1100;

    /// <summary>The oldest C# the portable code compiles with: C# 8 (nullable annotations, <c>stackalloc</c> in expressions).</summary>
    private const int MinLanguageVersion = 800;

    /// <summary>Parses a type with <c>[Network]</c> (and possibly <c>[WeightsFile]</c>).</summary>
    public static Result<NetworkDeclaration> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        => Guarded(context, cancellationToken, ParseCore);

    /// <summary>Parses a type with <c>[OnnxNetwork]</c>: everything but the layers, which come from the file.</summary>
    public static Result<NetworkDeclaration> ParseOnnxNetwork(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        => Guarded(context, cancellationToken, ParseOnnxCore);

    private static Result<NetworkDeclaration> Guarded(
        GeneratorAttributeSyntaxContext context,
        CancellationToken cancellationToken,
        Func<GeneratorAttributeSyntaxContext, INamedTypeSymbol, TypeDeclarationSyntax, List<DiagnosticInfo>, CancellationToken, NetworkDeclaration?> parse)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        if (type.TypeKind != TypeKind.Class)
        {
            // A record struct: the attributes are for classes, and the compiler reports CS0592 at them.
            return new Result<NetworkDeclaration>(null, EquatableArray<DiagnosticInfo>.Empty);
        }

        try
        {
            NetworkDeclaration? result = parse(context, type, declaration, diagnostics, cancellationToken);
            return new Result<NetworkDeclaration>(diagnostics.Count == 0 ? result : null, diagnostics.ToEquatableArray());
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A generator must never throw (CS8785 would hide every network); say what went wrong instead.
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, declaration.Identifier, type.Name, exception.GetType().Name + ": " + exception.Message));
            return new Result<NetworkDeclaration>(null, diagnostics.ToEquatableArray());
        }
    }

    /// <summary>
    /// Reports a type that has layer attributes (<c>[Dense]</c>, <c>[Gru]</c>, <c>[Lstm]</c>, <c>[Rnn]</c>) but no
    /// <c>[Network]</c> on any of its declarations (an <c>[OnnxNetwork]</c> type reports its stray layers itself).
    /// The pipeline calls this once per layer attribute name; only the first layer attribute of the type reports.
    /// </summary>
    public static EquatableArray<DiagnosticInfo> ParseOrphanLayers(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (context.TargetSymbol.GetAttributes().Any(a => IsAttribute(a, NetworkAttributeName) || IsAttribute(a, OnnxNetworkAttributeName)))
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }

        AttributeData first = context.TargetSymbol.GetAttributes().First(IsLayerAttribute);
        if (!IsAttribute(first, "NetGen." + context.Attributes[0].AttributeClass!.MetadataName))
        {
            return EquatableArray<DiagnosticInfo>.Empty; // reported by the pipeline of the type's first layer attribute
        }

        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        string layers = "[" + first.AttributeClass!.Name.Substring(0, first.AttributeClass.Name.Length - "Attribute".Length) + "]";
        return new[] { DiagnosticInfo.Create(DiagnosticDescriptors.DenseWithoutNetwork, AttributeSyntaxOf(context.Attributes[0], cancellationToken) ?? (SyntaxNode)declaration, context.TargetSymbol.Name, layers) }.ToEquatableArray();
    }

    /// <summary>Reports <c>[WeightsFile]</c> on a type without <c>[Network]</c>: it has no declared layers to give weights to.</summary>
    public static EquatableArray<DiagnosticInfo> ParseOrphanWeightsFile(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ImmutableArray<AttributeData> attributes = context.TargetSymbol.GetAttributes();
        if (attributes.Any(a => IsAttribute(a, NetworkAttributeName)))
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }

        string problem = attributes.Any(a => IsAttribute(a, OnnxNetworkAttributeName))
            ? "has both [WeightsFile] and [OnnxNetwork]; [OnnxNetwork] already takes the weights from its file, so remove [WeightsFile]"
            : "has [WeightsFile] but no [Network(inputs)] and [Dense] layers to give the weights to; declare them, or use [OnnxNetwork(path)] to take the layers from an ONNX file";
        return new[] { DiagnosticInfo.Create(DiagnosticDescriptors.ModelAttributeMisused, AttributeSyntaxOf(context.Attributes[0], cancellationToken) ?? context.TargetNode, context.TargetSymbol.Name, problem) }.ToEquatableArray();
    }

    private static NetworkDeclaration? ParseCore(GeneratorAttributeSyntaxContext context, INamedTypeSymbol type, TypeDeclarationSyntax declaration, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        AttributeData networkAttribute = context.Attributes[0];
        if (HasErrors(networkAttribute))
        {
            return null; // the compiler already reports the malformed attribute
        }

        // [Network] twice is a compiler error (AllowMultiple = false); generate once, from the first declaration.
        AttributeData firstNetwork = type.GetAttributes().First(a => IsAttribute(a, NetworkAttributeName));
        if (firstNetwork.ApplicationSyntaxReference?.Span != networkAttribute.ApplicationSyntaxReference?.Span
            || firstNetwork.ApplicationSyntaxReference?.SyntaxTree != networkAttribute.ApplicationSyntaxReference?.SyntaxTree)
        {
            return null;
        }

        var networkSyntax = AttributeSyntaxOf(networkAttribute, cancellationToken);
        AttributeData? weightsFile = type.GetAttributes().FirstOrDefault(a => IsAttribute(a, WeightsFileAttributeName));
        ModelReference? model = weightsFile is null ? null : ParseModelReference(weightsFile, cancellationToken);
        TypeSpec? typeSpec = ParseType(type, declaration, diagnostics, allowStatic: model is { Frozen: true }, context.SemanticModel.Compilation, cancellationToken);

        int inputs = (int)networkAttribute.ConstructorArguments[0].Value!;
        if (inputs < 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InputsOutOfRange, ArgumentSyntax(networkSyntax, 0, "inputs") ?? networkSyntax, type.Name, inputs));
        }

        Loss loss = ParseLoss(networkAttribute, networkSyntax, diagnostics) ?? Loss.MeanSquaredError;
        SyntaxNode? lossSyntax = NamedArgumentSyntax(networkSyntax, "Loss") ?? networkSyntax;
        int maxSteps = NamedArgument(networkAttribute, "MaxSteps") as int? ?? NetworkSpec.DefaultMaxSteps;
        SyntaxNode? maxStepsSyntax = NamedArgumentSyntax(networkSyntax, "MaxSteps") ?? networkSyntax;

        List<ParsedLayer>? layers = ParseLayers(type, declaration, inputs, diagnostics, cancellationToken);
        if (layers is null)
        {
            return null;
        }

        if (layers.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, networkSyntax ?? (SyntaxNode)declaration, type.Name));
            return null;
        }

        NetworkValidator.Validate(
            type.Name,
            layers.Select(layer => layer.Spec).ToList(),
            loss,
            maxSteps,
            (layer, site, descriptor, arguments) => DiagnosticInfo.Create(descriptor, site switch
            {
                Site.Activation => layers[layer].ActivationSyntax,
                Site.Layer => layers[layer].Syntax,
                Site.Loss => lossSyntax,
                Site.MaxSteps => maxStepsSyntax,
                _ => networkSyntax,
            }, arguments),
            diagnostics);
        CodeTarget? target = CheckTarget(context, declaration, diagnostics, networkSyntax);
        typeSpec = typeSpec is null || target is null ? typeSpec : typeSpec with { Target = target };
        return typeSpec is null ? null : new NetworkDeclaration(typeSpec, new NetworkSpec(typeSpec, inputs, loss, layers.Select(layer => layer.Spec).ToEquatableArray()) { MaxSteps = maxSteps }, model);
    }

    /// <summary>A layer as declared, with the syntax its diagnostics point at.</summary>
    private sealed record ParsedLayer(LayerSpec Spec, SyntaxNode? Syntax, SyntaxNode? ActivationSyntax);

    private static NetworkDeclaration? ParseOnnxCore(GeneratorAttributeSyntaxContext context, INamedTypeSymbol type, TypeDeclarationSyntax declaration, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        AttributeData attribute = context.Attributes[0];
        if (attribute.AttributeClass is null or IErrorTypeSymbol || attribute.AttributeConstructor is null)
        {
            return null; // the compiler already reports the malformed attribute
        }

        AttributeSyntax? syntax = AttributeSyntaxOf(attribute, cancellationToken);
        ImmutableArray<AttributeData> attributes = type.GetAttributes();
        if (attributes.Any(a => IsAttribute(a, NetworkAttributeName) || IsLayerAttribute(a)))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModelAttributeMisused, syntax ?? (SyntaxNode)declaration, type.Name, "has [OnnxNetwork] together with [Network] or [Dense]; [OnnxNetwork] takes the layers from its file, so remove them, or keep them and use [WeightsFile(path)] to give the declared network the file's weights"));
            return null;
        }

        ModelReference model = ParseModelReference(attribute, cancellationToken) with
        {
            Loss = ParseLoss(attribute, syntax, diagnostics),
            MaxSteps = NamedArgument(attribute, "MaxSteps") as int? ?? NetworkSpec.DefaultMaxSteps,
        };

        TypeSpec? typeSpec = ParseType(type, declaration, diagnostics, allowStatic: model.Frozen, context.SemanticModel.Compilation, cancellationToken);
        CodeTarget? target = CheckTarget(context, declaration, diagnostics, syntax);
        typeSpec = typeSpec is null || target is null ? typeSpec : typeSpec with { Target = target };
        return typeSpec is null ? null : new NetworkDeclaration(typeSpec, null, model);
    }

    /// <summary>The named <c>Loss</c> of <c>[Network]</c> or <c>[OnnxNetwork]</c>, if given; an undefined value is reported.</summary>
    private static Loss? ParseLoss(AttributeData attribute, AttributeSyntax? syntax, List<DiagnosticInfo> diagnostics)
    {
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            if (named.Key == "Loss" && named.Value.Value is int loss)
            {
                if (!Enum.IsDefined(typeof(Loss), loss))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownEnumValue, NamedArgumentSyntax(syntax, "Loss") ?? syntax, loss, "Loss"));
                }

                return (Loss)loss;
            }
        }

        return null;
    }

    /// <summary>The path and <c>Frozen</c> of a model-file attribute (the loss, where there is one, is the caller's).</summary>
    private static ModelReference ParseModelReference(AttributeData attribute, CancellationToken cancellationToken)
    {
        AttributeSyntax? syntax = AttributeSyntaxOf(attribute, cancellationToken);
        bool frozen = true;
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            if (named.Key == "Frozen" && named.Value.Value is bool value)
            {
                frozen = value;
            }
        }

        SyntaxNode? path = ArgumentSyntax(syntax, 0, "path") ?? syntax;
        return new ModelReference(
            attribute.ConstructorArguments.FirstOrDefault().Value as string ?? string.Empty,
            frozen,
            null,
            syntax?.SyntaxTree,
            path?.Span ?? default,
            syntax?.Span ?? default);
    }

    private static TypeSpec? ParseType(INamedTypeSymbol type, TypeDeclarationSyntax declaration, List<DiagnosticInfo> diagnostics, bool allowStatic, Compilation compilation, CancellationToken cancellationToken)
    {
        SyntaxToken identifier = declaration.Identifier;
        int before = diagnostics.Count;
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, identifier, type.Name));
        }

        if (type.IsStatic && !allowStatic)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StaticType, identifier, type.Name));
        }

        var containing = new List<string>();
        for (INamedTypeSymbol? outer = type; outer is not null; outer = outer.ContainingType)
        {
            if (outer.TypeParameters.Length > 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericType, identifier, type.Name));
                break;
            }

            if (!SymbolEqualityComparer.Default.Equals(outer, type))
            {
                var outerDeclaration = outer.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>().FirstOrDefault(d => d.Modifiers.Any(SyntaxKind.PartialKeyword));
                if (outerDeclaration is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartial, identifier, type.Name, outer.Name));
                    break;
                }

                containing.Insert(0, Keyword(outerDeclaration) + " " + outer.Name);
            }
        }

        if (diagnostics.Count != before)
        {
            return null;
        }

        // The namespace's names as they are (`@class` is `class`): the emitter escapes keywords where it writes code.
        string ns = type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString(NamespaceFormat);
        return new TypeSpec(ns, type.Name, Keyword(declaration), containing.ToEquatableArray())
        {
            Members = UserMemberParser.Parse(type, declaration, compilation, cancellationToken),
        };
    }

    /// <summary>A namespace's dotted names, without <c>global::</c> and without <c>@</c> before keywords.</summary>
    private static readonly SymbolDisplayFormat NamespaceFormat = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces);

    /// <summary>The layer attributes in declaration order, each reading the previous one's output.</summary>
    private static List<ParsedLayer>? ParseLayers(INamedTypeSymbol type, TypeDeclarationSyntax declaration, int inputs, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var layers = new List<ParsedLayer>();
        int fanIn = inputs;
        bool malformed = false;
        foreach (AttributeData attribute in type.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            LayerKind? kind = KindOf(attribute);
            if (kind is null)
            {
                continue;
            }

            if (HasErrors(attribute))
            {
                malformed = true;
                continue;
            }

            AttributeSyntax? syntax = AttributeSyntaxOf(attribute, cancellationToken);
            int number = layers.Count + 1;
            if (syntax is not null && (syntax.SyntaxTree != declaration.SyntaxTree || !declaration.Span.Contains(syntax.Span)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersSplitAcrossDeclarations, syntax, type.Name));
            }

            int units = (int)attribute.ConstructorArguments[0].Value!;
            if (units < 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnitsOutOfRange, ArgumentSyntax(syntax, 0, "units") ?? syntax, number, type.Name, units));
            }

            // [Dense] and [Rnn] take an activation second; [Gru] and [Lstm] have none.
            Activation activation = Activation.Identity;
            SyntaxNode? activationNode = syntax;
            if (attribute.ConstructorArguments.Length > 1)
            {
                int value = (int)attribute.ConstructorArguments[1].Value!;
                activationNode = ArgumentSyntax(syntax, 1, "activation") ?? syntax;
                if (!Enum.IsDefined(typeof(Activation), value))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownEnumValue, activationNode, value, "Activation"));
                }

                activation = (Activation)value;
            }

            LayerSpec spec = kind == LayerKind.Dense ? LayerSpec.Dense(fanIn, units, activation) : LayerSpec.Recurrent(kind.Value, fanIn, units, activation);
            layers.Add(new ParsedLayer(spec, syntax, activationNode));
            fanIn = units;
        }

        return malformed ? null : layers;
    }

    private static LayerKind? KindOf(AttributeData attribute)
    {
        foreach ((string name, LayerKind kind) in LayerAttributes)
        {
            if (IsAttribute(attribute, name))
            {
                return kind;
            }
        }

        return null;
    }

    private static bool IsLayerAttribute(AttributeData attribute) => KindOf(attribute) is not null;

    /// <summary>The metadata names of the layer attributes.</summary>
    public static System.Collections.Generic.IEnumerable<string> LayerAttributeNames => LayerAttributes.Select(layer => layer.Name);

    /// <summary>
    /// What the compilation offers the generated code (<see cref="CodeTarget"/>), or null after reporting NG0013 for what
    /// no code shape can work with.
    /// </summary>
    private static CodeTarget? CheckTarget(GeneratorAttributeSyntaxContext context, TypeDeclarationSyntax declaration, List<DiagnosticInfo> diagnostics, SyntaxNode? networkSyntax)
    {
        Compilation compilation = context.SemanticModel.Compilation;
        int languageVersion = declaration.SyntaxTree.Options is CSharpParseOptions options ? (int)options.LanguageVersion : CSharp12;
        string language = "C# " + ((LanguageVersion)languageVersion).ToDisplayString();
        INamedTypeSymbol? network = compilation.GetTypeByMetadataName("NetGen.INetwork");
        bool staticInterfaceMembers = network?.GetMembers("InputCount").Any(member => member.IsStatic) ?? true;
        string? problem = null;
        if (compilation.GetTypeByMetadataName("System.Span`1") is null)
        {
            problem = "it has no System.Span<T>; target .NET Standard 2.1, .NET Core 2.1 or later";
        }
        else if (network is null)
        {
            problem = "it does not reference the NetGen runtime library (NetGen.dll, which declares NetGen.INetwork); add the NetGen package, or in Unity the NetGen package's Runtime folder";
        }
        else if (languageVersion < MinLanguageVersion)
        {
            problem = $"it has {language}; generated networks need C# 8 or later";
        }
        else if (staticInterfaceMembers && languageVersion < CSharp11)
        {
            problem = $"it has {language}, and the NetGen runtime it references (for .NET 8 or later) declares INetwork's sizes as static abstract members, which need C# 11 or later; use LangVersion 11 or later";
        }

        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedTarget, networkSyntax, problem));
            return null;
        }

        // The portable shape wherever one of the modern shape's needs is missing: InlineArray (C# 12 and .NET 8), vectors
        // of fixed widths, or the .NET 8 runtime's kernels (a runtime with instance INetwork members is .NET Standard's).
        bool portable = languageVersion < CSharp12
            || !staticInterfaceMembers
            || compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.InlineArrayAttribute") is null
            || compilation.GetTypeByMetadataName("System.Runtime.Intrinsics.Vector128`1") is null;
        return portable ? new CodeTarget(Portable: true, staticInterfaceMembers) : CodeTarget.Modern;
    }

    private static string Keyword(TypeDeclarationSyntax declaration) => declaration switch
    {
        RecordDeclarationSyntax record when !record.ClassOrStructKeyword.IsKind(SyntaxKind.None) => "record " + record.ClassOrStructKeyword.ValueText,
        _ => declaration.Keyword.ValueText,
    };

    private static bool IsAttribute(AttributeData attribute, string metadataName)
        => attribute.AttributeClass is { } attributeClass
           && attributeClass.ContainingNamespace is { Name: "NetGen", ContainingNamespace.IsGlobalNamespace: true }
           && metadataName == "NetGen." + attributeClass.MetadataName;

    private static bool HasErrors(AttributeData attribute)
        => attribute.AttributeClass is null or IErrorTypeSymbol
           || attribute.AttributeConstructor is null
           || attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error || a.Value is null);

    private static AttributeSyntax? AttributeSyntaxOf(AttributeData attribute, CancellationToken cancellationToken)
        => attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;

    /// <summary>The value of the constructor argument at <paramref name="position"/> or named <paramref name="name"/> (as in <c>units: 4</c>).</summary>
    private static SyntaxNode? ArgumentSyntax(AttributeSyntax? attribute, int position, string name)
    {
        if (attribute?.ArgumentList is not { } list)
        {
            return null;
        }

        AttributeArgumentSyntax? byName = list.Arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == name);
        if (byName is not null)
        {
            return byName.Expression;
        }

        var positional = list.Arguments.Where(a => a.NameColon is null && a.NameEquals is null).ToList();
        return position < positional.Count ? positional[position].Expression : null;
    }

    private static object? NamedArgument(AttributeData attribute, string name)
        => attribute.NamedArguments.FirstOrDefault(named => named.Key == name).Value.Value;

    private static SyntaxNode? NamedArgumentSyntax(AttributeSyntax? attribute, string name)
        => attribute?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)?.Expression;
}
