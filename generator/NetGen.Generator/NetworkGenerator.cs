using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emitting;
using NetGen.Generator.Importing;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Planning;
using NetGen.Generator.Validation;

namespace NetGen.Generator;

/// <summary>
/// The pipeline, and only the pipeline: <c>[Network]</c> and <c>[OnnxNetwork]</c> types → parser (model + diagnostics)
/// → for a declaration naming a model file, the resolver (joins it with the file from the AdditionalFiles) → planner (a
/// code shape per layer) → check of the user's members against the generated ones (NG0025) → emitter. Models are plain
/// data, so every step after the parse is cached across edits, and a model file is read and imported once per change of
/// the file.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<ImmutableArray<ModelFile>> modelFiles = context.AdditionalTextsProvider
            .Where(static text => ModelFileReader.IsModelFile(text))
            .Select(static (text, cancellationToken) => ModelFileReader.Read(text, cancellationToken))
            .WithTrackingName(TrackingNames.ModelFiles)
            .Collect();

        IncrementalValuesProvider<Result<NetworkDeclaration>> declared = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.NetworkAttributeName,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (context, cancellationToken) => NetworkParser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.ParsedNetworks);
        Generate(context, declared, modelFiles);

        IncrementalValuesProvider<Result<NetworkDeclaration>> fromOnnx = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.OnnxNetworkAttributeName,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (context, cancellationToken) => NetworkParser.ParseOnnxNetwork(context, cancellationToken))
            .WithTrackingName(TrackingNames.ParsedOnnxNetworks);
        Generate(context, fromOnnx, modelFiles);

        foreach (string layerAttribute in NetworkParser.LayerAttributeNames)
        {
            IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> orphanLayers = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    layerAttribute,
                    static (node, _) => node is TypeDeclarationSyntax,
                    static (context, cancellationToken) => NetworkParser.ParseOrphanLayers(context, cancellationToken))
                .WithTrackingName(TrackingNames.OrphanLayerDiagnostics);
            context.RegisterSourceOutput(orphanLayers, static (output, diagnostics) => Report(output, diagnostics));
        }

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> orphanWeights = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.WeightsFileAttributeName,
                static (node, _) => node is TypeDeclarationSyntax,
                static (context, cancellationToken) => NetworkParser.ParseOrphanWeightsFile(context, cancellationToken))
            .WithTrackingName(TrackingNames.OrphanWeightsFileDiagnostics);
        context.RegisterSourceOutput(orphanWeights, static (output, diagnostics) => Report(output, diagnostics));
    }

    /// <summary>Reports the parse's diagnostics and generates each network: straight away, or once its model file is resolved.</summary>
    private static void Generate(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<Result<NetworkDeclaration>> parsed, IncrementalValueProvider<ImmutableArray<ModelFile>> modelFiles)
    {
        context.RegisterSourceOutput(parsed.Select(static (result, _) => result.Diagnostics), static (output, diagnostics) => Report(output, diagnostics));

        IncrementalValuesProvider<NetworkDeclaration> declarations = parsed
            .Where(static result => result.Value is not null)
            .Select(static (result, _) => result.Value!);

        IncrementalValuesProvider<NetworkSpec> seeded = declarations
            .Where(static declaration => declaration.Model is null)
            .Select(static (declaration, _) => declaration.Declared!)
            .WithTrackingName(TrackingNames.NetworkSpecs);

        // Only declarations that name a file wait for the AdditionalFiles, so editing a model file touches only them.
        IncrementalValuesProvider<Result<NetworkSpec>> resolved = declarations
            .Where(static declaration => declaration.Model is not null)
            .Combine(modelFiles)
            .Select(static (pair, _) => ModelResolver.Resolve(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.ResolvedNetworks);
        context.RegisterSourceOutput(resolved.Select(static (result, _) => result.Diagnostics), static (output, diagnostics) => Report(output, diagnostics));

        foreach (IncrementalValuesProvider<NetworkSpec> specs in new[] { seeded, resolved.Where(static r => r.Value is not null).Select(static (r, _) => r.Value!) })
        {
            IncrementalValuesProvider<Result<NetworkPlan>> checkedPlans = specs
                .Select(static (network, _) => NetworkPlanner.Plan(network))
                .WithTrackingName(TrackingNames.NetworkPlans)
                .Select(static (plan, _) => MemberConflicts.Check(plan))
                .WithTrackingName(TrackingNames.CheckedPlans);
            context.RegisterSourceOutput(checkedPlans, static (output, result) => Emit(output, result));
        }
    }

    private static void Emit(SourceProductionContext output, Result<NetworkPlan> result)
    {
        Report(output, result.Diagnostics);
        if (result.Value is not { } plan)
        {
            return;
        }

        try
        {
            output.AddSource(plan.Network.Type.HintName, NetworkEmitter.Emit(plan));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Never throw: CS8785 would drop every network of the compilation without saying why.
            output.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, plan.Network.Type.FullName, exception.GetType().Name + ": " + exception.Message));
        }
    }

    private static void Report(SourceProductionContext output, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (DiagnosticInfo diagnostic in diagnostics)
        {
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
    }
}
