namespace NetGen.Tests;

/// <summary>
/// The runner's side of <c>Check.Observed</c> (tests/NetGen.Tests/NetworkTestSupport.cs, linked): the errors that the
/// linked checks compare through <c>Check</c> count towards each group's "worst error" line, as those of
/// <see cref="NetGen.Conformance.Assert.Close"/> do.
/// </summary>
internal static partial class Check
{
    static partial void Observed(double errorOverTolerance) => ConformanceRunner.RecordError(errorOverTolerance);
}
