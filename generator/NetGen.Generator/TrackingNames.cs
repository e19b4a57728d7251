namespace NetGen.Generator;

/// <summary>Names of the pipeline steps, so tests can check that each one is cached.</summary>
internal static class TrackingNames
{
    public const string ParsedNetworks = nameof(ParsedNetworks);
    public const string ParsedOnnxNetworks = nameof(ParsedOnnxNetworks);
    public const string ModelFiles = nameof(ModelFiles);
    public const string NetworkSpecs = nameof(NetworkSpecs);
    public const string ResolvedNetworks = nameof(ResolvedNetworks);
    public const string NetworkPlans = nameof(NetworkPlans);
    public const string CheckedPlans = nameof(CheckedPlans);
    public const string OrphanLayerDiagnostics = nameof(OrphanLayerDiagnostics);
    public const string OrphanWeightsFileDiagnostics = nameof(OrphanWeightsFileDiagnostics);
}
