using System;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NetGen.Benchmarks;

/// <summary>
/// Entry point: BenchmarkDotNet's command line (<c>--filter</c>, <c>--job short|dry</c>, <c>--inProcess</c>, ...;
/// see docs/benchmarks.md). Exits with 1 if any selected benchmark failed (including a failed verification in its
/// global setup), so that CI can run one dry iteration of every benchmark. <c>--costs</c> prints the scaling study's
/// compile-time and first-call costs instead (<c>--first-call NAME</c> is its child-process side),
/// <c>--ide-costs</c> the generator's time on 50 networks from scratch and after edits, <c>--model-costs</c> what the
/// 101,770-parameter mnist_mlp costs at compile time declared, frozen from its ONNX or weight file, and trainable from
/// the file (generator time, generated size, emit time, assembly size), and <c>--frozen-ab</c> frozen against trainable
/// <c>Forward</c>/<c>Predict</c> in alternating batches (the paired check of the <c>FrozenBenchmarks</c>).
/// <c>--recurrent-export DIR</c> writes the sequence benchmarks' weights, sequences and NetGen's results for
/// <c>tools/pytorch/recurrent_benchmark.py</c> (which exports the ONNX models and times PyTorch), and
/// <c>--recurrent-ab [gru32] [lstm64]</c> times NetGen, ONNX Runtime and the naive implementation of those sequence
/// networks in alternating batches (the paired check of the <c>RecurrentBenchmarks</c>); <c>--recurrent-loop NAME
/// forward|train SECONDS</c> runs one of them alone, for a profiler; <c>--recurrent-kernels</c> times the kernels they
/// spend their time in before (Baseline/) and now, in alternating batches.
/// <c>--parallel-ab [rounds] [samples] [batch] [degree]</c> times the trainer with several threads against one, paired
/// (<c>Suite/ParallelTrainingInterleaved.cs</c>).
/// <c>--batch-ab [digits] [mnist] [deep]</c> times NetGen's <c>ForwardBatch</c> against the per-sample loop and ONNX
/// Runtime, and the batched training step, in alternating batches (the paired check of the batch benchmarks of issue
/// 13), and <c>--batch-export DIR</c> writes their networks' weights, samples and NetGen's results for
/// <c>tools/pytorch/batch_benchmark.py</c>.
/// <c>--batch-blocks-ab</c> times <c>ForwardBatch</c> and <c>BackwardBatch</c> against per-sample calls with their multiply-adds per ns, paired (<c>Suite/BatchBlocksInterleaved.cs</c>).
/// <c>--portability [options]</c> NetGen against the naive loops in alternating batches, in whatever configuration the
/// process runs (<c>Portability/PortabilityRun.cs</c>; tests/NetGen.Portability is the same for Native AOT).
/// </summary>
public static class Program
{
    /// <summary>Runs the benchmarks that <paramref name="args"/> select.</summary>
    public static int Main(string[] args)
    {
        if (args is ["--costs"])
        {
            Scaling.CostStudy.Run();
            return 0;
        }

        if (args is ["--ide-costs"])
        {
            Scaling.CostStudy.RunIdeCosts();
            return 0;
        }

        if (args is ["--model-costs"])
        {
            Scaling.CostStudy.RunModelCosts();
            return 0;
        }

        if (args is ["--frozen-ab"])
        {
            Suite.FrozenInterleaved.Run();
            return 0;
        }

        if (args is ["--recurrent-ab", .. string[] networks])
        {
            Suite.RecurrentInterleaved.Run(networks);
            return 0;
        }

        if (args is ["--parallel-ab", .. string[] parallelArgs])
        {
            Suite.ParallelTrainingInterleaved.Run(parallelArgs);
            return 0;
        }

        if (args is ["--batch-ab", .. string[] batchNetworks])
        {
            Suite.BatchInterleaved.Run(batchNetworks);
            return 0;
        }

        if (args is ["--batch-export", string batchDirectory])
        {
            Suite.BatchExport.Run(batchDirectory);
            return 0;
        }

        if (args is ["--batch-blocks-ab"])
        {
            Suite.BatchBlocksInterleaved.Run();
            return 0;
        }

        if (args is ["--recurrent-kernels"])
        {
            Suite.RecurrentKernelsInterleaved.Run();
            return 0;
        }

        if (args is ["--recurrent-loop", string loopNetwork, string loopWhat, string loopSeconds])
        {
            Suite.RecurrentInterleaved.Loop(loopNetwork, loopWhat, double.Parse(loopSeconds, System.Globalization.CultureInfo.InvariantCulture));
            return 0;
        }

        if (args is ["--recurrent-export", string directory])
        {
            Suite.RecurrentExport.Run(directory);
            return 0;
        }

        if (args is ["--portability", ..])
        {
            return Portability.PortabilityRun.Run(args[1..]);
        }

        if (args is ["--first-call", string network])
        {
            Scaling.CostStudy.PrintFirstCall(network);
            return 0;
        }

        IConfig config = DefaultConfig.Instance
            .AddColumn(StatisticColumn.Median, new MedianRatioColumn())
            .WithOption(ConfigOptions.JoinSummary, false);
        Summary[] summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config).ToArray();

        int total = summaries.Sum(s => s.BenchmarksCases.Length);
        int succeeded = summaries.Sum(s => s.Reports.Count(r => r.Success && r.ExecuteResults.Count > 0));
        bool validationFailed = summaries.Any(s => s.HasCriticalValidationErrors);
        if (summaries.Length > 0)
        {
            Console.WriteLine($"NetGen.Benchmarks: {succeeded} of {total} benchmarks ran successfully{(validationFailed ? "; validation errors" : string.Empty)}.");
        }

        return succeeded == total && !validationFailed ? 0 : 1;
    }
}
