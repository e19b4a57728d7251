using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emitting;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Planning;

namespace NetGen.Generator;

/// <summary>
/// The pipeline, and only the pipeline: <c>[Network]</c> types → parser (model + diagnostics) → planner (a code
/// shape per layer) → emitter. Models are plain data, so every step after the parse is cached across edits.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<Result<NetworkSpec>> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.NetworkAttributeName,
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (context, cancellationToken) => NetworkParser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.ParsedNetworks);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = parsed
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.NetworkDiagnostics);
        context.RegisterSourceOutput(diagnostics, static (output, diagnostics) => Report(output, diagnostics));

        IncrementalValuesProvider<NetworkPlan> plans = parsed
            .Where(static result => result.Value is not null)
            .Select(static (result, _) => result.Value!)
            .WithTrackingName(TrackingNames.NetworkSpecs)
            .Select(static (network, _) => NetworkPlanner.Plan(network))
            .WithTrackingName(TrackingNames.NetworkPlans);
        context.RegisterSourceOutput(plans, static (output, plan) => Emit(output, plan));

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> orphanLayers = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.DenseAttributeName,
                static (node, _) => node is TypeDeclarationSyntax,
                static (context, cancellationToken) => NetworkParser.ParseOrphanLayers(context, cancellationToken))
            .WithTrackingName(TrackingNames.OrphanLayerDiagnostics);
        context.RegisterSourceOutput(orphanLayers, static (output, diagnostics) => Report(output, diagnostics));
    }

    private static void Emit(SourceProductionContext output, NetworkPlan plan)
    {
        string source;
        try
        {
            source = NetworkEmitter.Emit(plan);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Never throw: CS8785 would drop every network of the compilation without saying why.
            output.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, plan.Network.Type.FullName, exception.GetType().Name + ": " + exception.Message));
            return;
        }

        output.AddSource(plan.Network.Type.HintName, source);
    }

    private static void Report(SourceProductionContext output, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (DiagnosticInfo diagnostic in diagnostics)
        {
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
    }
}
