using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NetGen.Benchmarks;

/// <summary>
/// The median time divided by the median time of the baseline (the naive implementation; in the batch benchmarks NetGen's
/// per-sample loop) in the same category.
/// BenchmarkDotNet's own <c>Ratio</c> column divides means; on a shared, noisy machine the medians are the steadier
/// figure, and docs/benchmarks.md quotes this column.
/// </summary>
internal sealed class MedianRatioColumn : IColumn
{
    public string Id => nameof(MedianRatioColumn);

    public string ColumnName => "Median ratio";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Baseline;

    public int PriorityInCategory => 10;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Median time / median time of the baseline (naive; in the batch benchmarks NetGen's per-sample loop) in the same category";

    public bool IsAvailable(Summary summary) => summary.HasBaselines();

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        BenchmarkCase? baseline = summary.GetBaseline(summary.GetLogicalGroupKey(benchmarkCase));
        double? own = summary[benchmarkCase]?.ResultStatistics?.Median;
        double? reference = baseline is null ? null : summary[baseline]?.ResultStatistics?.Median;
        if (own is null || reference is null || reference.Value <= 0)
        {
            return "?";
        }

        double ratio = own.Value / reference.Value;
        return ratio.ToString(ratio < 10 ? "0.000" : "0.0", style.CultureInfo);
    }

    public override string ToString() => ColumnName;
}
