using System;
using BenchmarkDotNet.Attributes;
using NetGen.Benchmarks.Networks;
using NetGen.Training;

namespace NetGen.Benchmarks.Suite;

// The batch benchmarks of issue 13 (BatchBenchmarks.cs) for digits, mnist and deep: two classes per network, since the
// forward passes run at N = 1, 8, 32, 256 and the training steps at B = 32, 256. Each class adds the benchmarks that
// call the generated code directly (see NetworkBenchmarks' remarks). --filter '*Batch*' selects all six,
// '*DigitsBatch*' one network.

/// <summary>digits 64-32-10 (ReLU, Softmax, CrossEntropy): batched forward passes (issue 13).</summary>
[BenchmarkCategory("digits", BatchCategory)]
public class DigitsBatchForward : BatchForwardBenchmarks<DigitsNet>
{
    /// <inheritdoc/>
    protected override NetworkSpec Spec => NetworkSpec.Digits;

    /// <summary>The generated <c>ForwardBatch</c>, once per batch of <see cref="BatchForwardBenchmarks{TNet}.N"/>.</summary>
    [Benchmark(OperationsPerInvoke = SamplesPerInvoke)]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_NetGen()
    {
        const int inputs = DigitsNet.InputCount, outputs = DigitsNet.OutputCount;
        int n = N;
        for (int s = 0; s < SamplesPerInvoke; s += n)
        {
            Net.ForwardBatch(Inputs.AsSpan(s * inputs, n * inputs), Outputs.AsSpan(s * outputs, n * outputs));
        }
    }

    /// <summary>The generated <c>Forward</c> on each sample in turn: the baseline.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = SamplesPerInvoke)]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_NetGenLoop()
    {
        const int inputs = DigitsNet.InputCount, outputs = DigitsNet.OutputCount;
        for (int s = 0; s < SamplesPerInvoke; s++)
        {
            Net.Forward(Inputs.AsSpan(s * inputs, inputs), Outputs.AsSpan(s * outputs, outputs));
        }
    }
}

/// <summary>digits 64-32-10 (ReLU, Softmax, CrossEntropy): batched training steps (issue 13).</summary>
[BenchmarkCategory("digits", BatchForwardBenchmarks<DigitsNet>.BatchCategory)]
public class DigitsBatchTrain : BatchTrainBenchmarks<DigitsNet>
{
    /// <inheritdoc/>
    protected override NetworkSpec Spec => NetworkSpec.Digits;

    /// <summary>The generated <c>BackwardBatch</c> and <see cref="Sgd.Step{TNetwork}"/> on the batch's mean gradient.</summary>
    [Benchmark(OperationsPerInvoke = SamplesPerInvoke)]
    [BenchmarkCategory(TrainCategory)]
    public float Train_NetGen()
    {
        const int inputs = DigitsNet.InputCount, outputs = DigitsNet.OutputCount;
        int b = B;
        float loss = 0f;
        for (int s = 0; s < SamplesPerInvoke; s += b)
        {
            loss += Net.BackwardBatch(Inputs.AsSpan(s * inputs, b * inputs), Targets.AsSpan(s * outputs, b * outputs));
            Sgd.Step(Net, LearningRate, b);
        }

        return loss;
    }

    /// <summary>The generated <c>Backward</c> on each sample of the batch, then <see cref="Sgd.Step{TNetwork}"/>: the baseline.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = SamplesPerInvoke)]
    [BenchmarkCategory(TrainCategory)]
    public float Train_NetGenLoop()
    {
        const int inputs = DigitsNet.InputCount, outputs = DigitsNet.OutputCount;
        int b = B;
        float loss = 0f;
        for (int s = 0; s < SamplesPerInvoke; s += b)
        {
            for (int k = s; k < s + b; k++)
            {
                loss += Net.Backward(Inputs.AsSpan(k * inputs, inputs), Targets.AsSpan(k * outputs, outputs));
            }

            Sgd.Step(Net, LearningRate, b);
        }

        return loss;
    }
}

/// <summary>mnist 784-128-10 (ReLU, Softmax, CrossEntropy): batched forward passes (issue 13).</summary>
[BenchmarkCategory("mnist", BatchCategory)]
public class MnistBatchForward : BatchForwardBenchmarks<MnistNet>
{
    /// <inheritdoc/>
    protected override NetworkSpec Spec => NetworkSpec.Mnist;

    /// <summary>The generated <c>ForwardBatch</c>, once per batch of <see cref="BatchForwardBenchmarks{TNet}.N"/>.</summary>
    [Benchmark(OperationsPerInvoke = SamplesPerInvoke)]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_NetGen()
    {
        const int inputs = MnistNet.InputCount, outputs = MnistNet.OutputCount;
        int n = N;
        for (int s = 0; s < SamplesPerInvoke; s += n)
        {
            Net.ForwardBatch(Inputs.AsSpan(s * inputs, n * inputs), Outputs.AsSpan(s * outputs, n * outputs));
        }
    }

    /// <summary>The generated <c>Forward</c> on each sample in turn: the baseline.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = SamplesPerInvoke)]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_NetGenLoop()
    {
        const int inputs = MnistNet.InputCount, outputs = MnistNet.OutputCount;
        for (int s = 0; s < SamplesPerInvoke; s++)
        {
            Net.Forward(Inputs.AsSpan(s * inputs, inputs), Outputs.AsSpan(s * outputs, outputs));
        }
    }
}

/// <summary>mnist 784-128-10 (ReLU, Softmax, CrossEntropy): batched training steps (issue 13).</summary>
[BenchmarkCategory("mnist", BatchForwardBenchmarks<MnistNet>.BatchCategory)]
public class MnistBatchTrain : BatchTrainBenchmarks<MnistNet>
{
    /// <inheritdoc/>
    protected override NetworkSpec Spec => NetworkSpec.Mnist;

    /// <summary>The generated <c>BackwardBatch</c> and <see cref="Sgd.Step{TNetwork}"/> on the batch's mean gradient.</summary>
    [Benchmark(OperationsPerInvoke = SamplesPerInvoke)]
    [BenchmarkCategory(TrainCategory)]
    public float Train_NetGen()
    {
        const int inputs = MnistNet.InputCount, outputs = MnistNet.OutputCount;
        int b = B;
        float loss = 0f;
        for (int s = 0; s < SamplesPerInvoke; s += b)
        {
            loss += Net.BackwardBatch(Inputs.AsSpan(s * inputs, b * inputs), Targets.AsSpan(s * outputs, b * outputs));
            Sgd.Step(Net, LearningRate, b);
        }

        return loss;
    }

    /// <summary>The generated <c>Backward</c> on each sample of the batch, then <see cref="Sgd.Step{TNetwork}"/>: the baseline.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = SamplesPerInvoke)]
    [BenchmarkCategory(TrainCategory)]
    public float Train_NetGenLoop()
    {
        const int inputs = MnistNet.InputCount, outputs = MnistNet.OutputCount;
        int b = B;
        float loss = 0f;
        for (int s = 0; s < SamplesPerInvoke; s += b)
        {
            for (int k = s; k < s + b; k++)
            {
                loss += Net.Backward(Inputs.AsSpan(k * inputs, inputs), Targets.AsSpan(k * outputs, outputs));
            }

            Sgd.Step(Net, LearningRate, b);
        }

        return loss;
    }
}

/// <summary>deep 32-64-64-64-4 (ReLU ×3, Softmax, CrossEntropy): batched forward passes (issue 13).</summary>
[BenchmarkCategory("deep", BatchCategory)]
public class DeepBatchForward : BatchForwardBenchmarks<DeepNet>
{
    /// <inheritdoc/>
    protected override NetworkSpec Spec => NetworkSpec.Deep;

    /// <summary>The generated <c>ForwardBatch</c>, once per batch of <see cref="BatchForwardBenchmarks{TNet}.N"/>.</summary>
    [Benchmark(OperationsPerInvoke = SamplesPerInvoke)]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_NetGen()
    {
        const int inputs = DeepNet.InputCount, outputs = DeepNet.OutputCount;
        int n = N;
        for (int s = 0; s < SamplesPerInvoke; s += n)
        {
            Net.ForwardBatch(Inputs.AsSpan(s * inputs, n * inputs), Outputs.AsSpan(s * outputs, n * outputs));
        }
    }

    /// <summary>The generated <c>Forward</c> on each sample in turn: the baseline.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = SamplesPerInvoke)]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_NetGenLoop()
    {
        const int inputs = DeepNet.InputCount, outputs = DeepNet.OutputCount;
        for (int s = 0; s < SamplesPerInvoke; s++)
        {
            Net.Forward(Inputs.AsSpan(s * inputs, inputs), Outputs.AsSpan(s * outputs, outputs));
        }
    }
}

/// <summary>deep 32-64-64-64-4 (ReLU ×3, Softmax, CrossEntropy): batched training steps (issue 13).</summary>
[BenchmarkCategory("deep", BatchForwardBenchmarks<DeepNet>.BatchCategory)]
public class DeepBatchTrain : BatchTrainBenchmarks<DeepNet>
{
    /// <inheritdoc/>
    protected override NetworkSpec Spec => NetworkSpec.Deep;

    /// <summary>The generated <c>BackwardBatch</c> and <see cref="Sgd.Step{TNetwork}"/> on the batch's mean gradient.</summary>
    [Benchmark(OperationsPerInvoke = SamplesPerInvoke)]
    [BenchmarkCategory(TrainCategory)]
    public float Train_NetGen()
    {
        const int inputs = DeepNet.InputCount, outputs = DeepNet.OutputCount;
        int b = B;
        float loss = 0f;
        for (int s = 0; s < SamplesPerInvoke; s += b)
        {
            loss += Net.BackwardBatch(Inputs.AsSpan(s * inputs, b * inputs), Targets.AsSpan(s * outputs, b * outputs));
            Sgd.Step(Net, LearningRate, b);
        }

        return loss;
    }

    /// <summary>The generated <c>Backward</c> on each sample of the batch, then <see cref="Sgd.Step{TNetwork}"/>: the baseline.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = SamplesPerInvoke)]
    [BenchmarkCategory(TrainCategory)]
    public float Train_NetGenLoop()
    {
        const int inputs = DeepNet.InputCount, outputs = DeepNet.OutputCount;
        int b = B;
        float loss = 0f;
        for (int s = 0; s < SamplesPerInvoke; s += b)
        {
            for (int k = s; k < s + b; k++)
            {
                loss += Net.Backward(Inputs.AsSpan(k * inputs, inputs), Targets.AsSpan(k * outputs, outputs));
            }

            Sgd.Step(Net, LearningRate, b);
        }

        return loss;
    }
}
