using BenchmarkDotNet.Attributes;
using NetGen.Benchmarks.Networks;
using NetGen.Training;

namespace NetGen.Benchmarks.Suite;

// One class per network, so that a filter such as --filter '*Digits*' selects one network and every implementation of
// it runs in the same BenchmarkDotNet run. Each class adds the two benchmarks that call the generated code directly
// (see NetworkBenchmarks' remarks); the NetGen training step is what the README shows users: Backward, then Sgd.Step.

/// <summary>xor 2-4-1 (Sigmoid, Sigmoid, BinaryCrossEntropy).</summary>
[BenchmarkCategory("xor")]
public class Xor : NetworkBenchmarks<XorNet>
{
    /// <inheritdoc/>
    protected override NetworkSpec Spec => NetworkSpec.Xor;

    /// <summary>The generated <c>Forward</c>.</summary>
    [Benchmark]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_NetGen() => Net.Forward(Input, Output);

    /// <summary>The generated <c>Backward</c> and <see cref="Sgd.Step{TNetwork}"/>.</summary>
    [Benchmark]
    [BenchmarkCategory(TrainCategory)]
    public float Train_NetGen()
    {
        int k = NextSample();
        float loss = Net.Backward(TrainingInputs[k], TrainingTargets[k]);
        Sgd.Step(Net, LearningRate);
        return loss;
    }
}

/// <summary>iris 4-8-3 (ReLU, Softmax, CrossEntropy).</summary>
[BenchmarkCategory("iris")]
public class Iris : NetworkBenchmarks<IrisNet>
{
    /// <inheritdoc/>
    protected override NetworkSpec Spec => NetworkSpec.Iris;

    /// <summary>The generated <c>Forward</c>.</summary>
    [Benchmark]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_NetGen() => Net.Forward(Input, Output);

    /// <summary>The generated <c>Backward</c> and <see cref="Sgd.Step{TNetwork}"/>.</summary>
    [Benchmark]
    [BenchmarkCategory(TrainCategory)]
    public float Train_NetGen()
    {
        int k = NextSample();
        float loss = Net.Backward(TrainingInputs[k], TrainingTargets[k]);
        Sgd.Step(Net, LearningRate);
        return loss;
    }
}

/// <summary>digits 64-32-10 (ReLU, Softmax, CrossEntropy).</summary>
[BenchmarkCategory("digits")]
public class Digits : NetworkBenchmarks<DigitsNet>
{
    /// <inheritdoc/>
    protected override NetworkSpec Spec => NetworkSpec.Digits;

    /// <summary>The generated <c>Forward</c>.</summary>
    [Benchmark]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_NetGen() => Net.Forward(Input, Output);

    /// <summary>The generated <c>Backward</c> and <see cref="Sgd.Step{TNetwork}"/>.</summary>
    [Benchmark]
    [BenchmarkCategory(TrainCategory)]
    public float Train_NetGen()
    {
        int k = NextSample();
        float loss = Net.Backward(TrainingInputs[k], TrainingTargets[k]);
        Sgd.Step(Net, LearningRate);
        return loss;
    }
}

/// <summary>mnist 784-128-10 (ReLU, Softmax, CrossEntropy).</summary>
[BenchmarkCategory("mnist")]
public class Mnist : NetworkBenchmarks<MnistNet>
{
    /// <inheritdoc/>
    protected override NetworkSpec Spec => NetworkSpec.Mnist;

    /// <summary>The generated <c>Forward</c>.</summary>
    [Benchmark]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_NetGen() => Net.Forward(Input, Output);

    /// <summary>The generated <c>Backward</c> and <see cref="Sgd.Step{TNetwork}"/>.</summary>
    [Benchmark]
    [BenchmarkCategory(TrainCategory)]
    public float Train_NetGen()
    {
        int k = NextSample();
        float loss = Net.Backward(TrainingInputs[k], TrainingTargets[k]);
        Sgd.Step(Net, LearningRate);
        return loss;
    }
}

/// <summary>deep 32-64-64-64-4 (ReLU ×3, Softmax, CrossEntropy).</summary>
[BenchmarkCategory("deep")]
public class Deep : NetworkBenchmarks<DeepNet>
{
    /// <inheritdoc/>
    protected override NetworkSpec Spec => NetworkSpec.Deep;

    /// <summary>The generated <c>Forward</c>.</summary>
    [Benchmark]
    [BenchmarkCategory(ForwardCategory)]
    public void Forward_NetGen() => Net.Forward(Input, Output);

    /// <summary>The generated <c>Backward</c> and <see cref="Sgd.Step{TNetwork}"/>.</summary>
    [Benchmark]
    [BenchmarkCategory(TrainCategory)]
    public float Train_NetGen()
    {
        int k = NextSample();
        float loss = Net.Backward(TrainingInputs[k], TrainingTargets[k]);
        Sgd.Step(Net, LearningRate);
        return loss;
    }
}
