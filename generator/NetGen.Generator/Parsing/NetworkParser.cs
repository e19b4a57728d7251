using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// Turns a type carrying <c>[Network]</c> into a <see cref="NetworkSpec"/> plus diagnostics. Everything that reads
/// symbols or syntax happens here; what leaves is plain data.
/// </summary>
internal static class NetworkParser
{
    public const string NetworkAttributeName = "NetGen.NetworkAttribute";
    public const string DenseAttributeName = "NetGen.DenseAttribute";

    /// <summary>Above this, the inline parameter and gradient buffers stop being sensible (64 MiB each).</summary>
    public const long MaxParameters = 1L << 24;

    /// <summary>Activations and deltas live on the stack; keep a Backward call's frame within 256 KiB.</summary>
    public const long MaxStackFloats = 64 * 1024;

    private const int CSharp12 = 1200; // LanguageVersion.CSharp12; Roslyn 4.3 predates the enum member.

    public static Result<NetworkSpec> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        try
        {
            NetworkSpec? spec = ParseCore(context, type, declaration, diagnostics, cancellationToken);
            return new Result<NetworkSpec>(diagnostics.Count == 0 ? spec : null, diagnostics.ToEquatableArray());
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A generator must never throw (CS8785 would hide every network); say what went wrong instead.
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, declaration.Identifier, type.Name, exception.GetType().Name + ": " + exception.Message));
            return new Result<NetworkSpec>(null, diagnostics.ToEquatableArray());
        }
    }

    /// <summary>Reports a type that has <c>[Dense]</c> but no <c>[Network]</c> on any of its declarations.</summary>
    public static EquatableArray<DiagnosticInfo> ParseOrphanLayers(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (context.TargetSymbol.GetAttributes().Any(a => IsAttribute(a, NetworkAttributeName)))
        {
            return EquatableArray<DiagnosticInfo>.Empty;
        }

        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        return new[] { DiagnosticInfo.Create(DiagnosticDescriptors.DenseWithoutNetwork, AttributeSyntaxOf(context.Attributes[0], cancellationToken) ?? (SyntaxNode)declaration, context.TargetSymbol.Name) }.ToEquatableArray();
    }

    private static NetworkSpec? ParseCore(GeneratorAttributeSyntaxContext context, INamedTypeSymbol type, TypeDeclarationSyntax declaration, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
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
        TypeSpec? typeSpec = ParseType(type, declaration, diagnostics);

        int inputs = (int)networkAttribute.ConstructorArguments[0].Value!;
        if (inputs < 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InputsOutOfRange, ArgumentSyntax(networkSyntax, 0, "inputs") ?? networkSyntax, type.Name, inputs));
        }

        LossKind loss = LossKind.MeanSquaredError;
        SyntaxNode? lossSyntax = networkSyntax;
        foreach (KeyValuePair<string, TypedConstant> named in networkAttribute.NamedArguments)
        {
            if (named.Key == "Loss" && named.Value.Value is int lossValue)
            {
                lossSyntax = NamedArgumentSyntax(networkSyntax, "Loss") ?? networkSyntax;
                if (!Enum.IsDefined(typeof(LossKind), lossValue))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownEnumValue, lossSyntax, lossValue, "Loss"));
                }

                loss = (LossKind)lossValue;
            }
        }

        List<LayerSpec>? layers = ParseLayers(type, declaration, inputs, diagnostics, cancellationToken, out List<SyntaxNode?> activationSyntax);
        if (layers is null)
        {
            return null;
        }

        if (layers.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, networkSyntax ?? (SyntaxNode)declaration, type.Name));
            return null;
        }

        CheckActivationsAndLoss(type, layers, loss, lossSyntax, activationSyntax, diagnostics);
        CheckSize(type, inputs, layers, networkSyntax, diagnostics);
        CheckTarget(context, declaration, diagnostics, networkSyntax);
        return typeSpec is null ? null : new NetworkSpec(typeSpec, inputs, loss, layers.ToEquatableArray());
    }

    private static TypeSpec? ParseType(INamedTypeSymbol type, TypeDeclarationSyntax declaration, List<DiagnosticInfo> diagnostics)
    {
        SyntaxToken identifier = declaration.Identifier;
        int before = diagnostics.Count;
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, identifier, type.Name));
        }

        if (type.IsStatic)
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

        string ns = type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString();
        return new TypeSpec(ns, type.Name, Keyword(declaration), containing.ToEquatableArray());
    }

    private static List<LayerSpec>? ParseLayers(INamedTypeSymbol type, TypeDeclarationSyntax declaration, int inputs, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken, out List<SyntaxNode?> activationSyntax)
    {
        var layers = new List<LayerSpec>();
        activationSyntax = new List<SyntaxNode?>();
        int fanIn = inputs;
        bool malformed = false;
        foreach (AttributeData dense in type.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!IsAttribute(dense, DenseAttributeName))
            {
                continue;
            }

            if (HasErrors(dense))
            {
                malformed = true;
                continue;
            }

            AttributeSyntax? syntax = AttributeSyntaxOf(dense, cancellationToken);
            int number = layers.Count + 1;
            if (syntax is not null && (syntax.SyntaxTree != declaration.SyntaxTree || !declaration.Span.Contains(syntax.Span)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersSplitAcrossDeclarations, syntax, type.Name));
            }

            int units = (int)dense.ConstructorArguments[0].Value!;
            if (units < 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnitsOutOfRange, ArgumentSyntax(syntax, 0, "units") ?? syntax, number, type.Name, units));
            }

            int activation = (int)dense.ConstructorArguments[1].Value!;
            SyntaxNode? activationNode = ArgumentSyntax(syntax, 1, "activation") ?? syntax;
            if (!Enum.IsDefined(typeof(ActivationKind), activation))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownEnumValue, activationNode, activation, "Activation"));
            }

            layers.Add(new LayerSpec(fanIn, units, (ActivationKind)activation));
            activationSyntax.Add(activationNode);
            fanIn = units;
        }

        return malformed ? null : layers;
    }

    private static void CheckActivationsAndLoss(INamedTypeSymbol type, List<LayerSpec> layers, LossKind loss, SyntaxNode? lossSyntax, List<SyntaxNode?> activationSyntax, List<DiagnosticInfo> diagnostics)
    {
        for (int i = 0; i < layers.Count - 1; i++)
        {
            if (layers[i].Activation == ActivationKind.Softmax)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SoftmaxNotLast, activationSyntax[i], i + 1, type.Name));
            }
        }

        ActivationKind output = layers[layers.Count - 1].Activation;
        ActivationKind? required = loss switch
        {
            LossKind.CrossEntropy => ActivationKind.Softmax,
            LossKind.BinaryCrossEntropy => ActivationKind.Sigmoid,
            _ => null,
        };
        if (required is { } needed && output != needed && Enum.IsDefined(typeof(ActivationKind), output))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LossIncompatible, lossSyntax, loss, type.Name, needed, output));
        }
    }

    private static void CheckSize(INamedTypeSymbol type, int inputs, List<LayerSpec> layers, SyntaxNode? networkSyntax, List<DiagnosticInfo> diagnostics)
    {
        long parameters = 0;
        long stackFloats = 0; // the caller owns the input; each layer keeps activations and deltas
        foreach (LayerSpec layer in layers)
        {
            parameters += ((long)Math.Max(layer.Inputs, 0) * Math.Max(layer.Units, 0)) + Math.Max(layer.Units, 0);
            stackFloats += 2L * Math.Max(layer.Units, 0);
        }

        if (parameters > MaxParameters)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkTooLarge, networkSyntax, type.Name, $"{parameters:N0} parameters exceed the limit of {MaxParameters:N0}"));
        }
        else if (stackFloats > MaxStackFloats)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkTooLarge, networkSyntax, type.Name, $"its activations and gradients need {stackFloats:N0} floats of stack per sample, more than the limit of {MaxStackFloats:N0}; use narrower layers"));
        }
    }

    private static void CheckTarget(GeneratorAttributeSyntaxContext context, TypeDeclarationSyntax declaration, List<DiagnosticInfo> diagnostics, SyntaxNode? networkSyntax)
    {
        var missing = new List<string>();
        if (declaration.SyntaxTree.Options is CSharpParseOptions options && (int)options.LanguageVersion < CSharp12)
        {
            missing.Add("C# " + options.LanguageVersion.ToDisplayString());
        }

        if (context.SemanticModel.Compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.InlineArrayAttribute") is null)
        {
            missing.Add("no System.Runtime.CompilerServices.InlineArrayAttribute");
        }

        if (missing.Count > 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedTarget, networkSyntax, string.Join(" and ", missing)));
        }
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

    private static SyntaxNode? NamedArgumentSyntax(AttributeSyntax? attribute, string name)
        => attribute?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)?.Expression;
}
