using System.Linq;
using NetGen.Training;

namespace NetGen.Tests;

/// <summary>
/// Invalid settings throw an <see cref="ArgumentOutOfRangeException"/> naming the argument; a step with a span or
/// network of the wrong size throws an <see cref="ArgumentException"/> naming it, before anything is written.
/// </summary>
public sealed class OptimizerArgumentTests
{
    private static readonly double[] NotFiniteOrNegative = [-1e-3, double.NaN, double.PositiveInfinity, double.NegativeInfinity];

    public static TheoryData<string> Names => OptimizerCatalog.AllNames;

    [Fact]
    public void Sgd_rejects_invalid_settings()
    {
        AssertOutOfRange("parameterCount", () => new Sgd(0, 0.1));
        AssertOutOfRange("parameterCount", () => new Sgd(-1, 0.1));
        foreach (double bad in NotFiniteOrNegative)
        {
            AssertOutOfRange("learningRate", () => new Sgd(3, bad));
            AssertOutOfRange("momentum", () => new Sgd(3, 0.1, momentum: bad));
            AssertOutOfRange("weightDecay", () => new Sgd(3, 0.1, weightDecay: bad));
        }

        ArgumentException nesterov = Assert.Throws<ArgumentException>(() => new Sgd(3, 0.1, nesterov: true));
        Assert.Equal("nesterov", nesterov.ParamName);
        Assert.True(new Sgd(3, 0, momentum: 0.5, nesterov: true).Nesterov); // zero learning rate and momentum > 0 are valid
    }

    [Fact]
    public void Adam_and_AdamW_reject_invalid_settings()
    {
        Func<int, double, double, double, double, double, Optimizer>[] constructors =
        [
            (n, lr, b1, b2, eps, wd) => new Adam(n, lr, b1, b2, eps, wd),
            (n, lr, b1, b2, eps, wd) => new AdamW(n, lr, b1, b2, eps, wd),
        ];
        foreach (var create in constructors)
        {
            AssertOutOfRange("parameterCount", () => create(0, 1e-3, 0.9, 0.999, 1e-8, 0));
            foreach (double bad in NotFiniteOrNegative)
            {
                AssertOutOfRange("learningRate", () => create(3, bad, 0.9, 0.999, 1e-8, 0));
                AssertOutOfRange("epsilon", () => create(3, 1e-3, 0.9, 0.999, bad, 0));
                AssertOutOfRange("weightDecay", () => create(3, 1e-3, 0.9, 0.999, 1e-8, bad));
            }

            foreach (double bad in new[] { -0.1, 1.0, 1.5, double.NaN })
            {
                AssertOutOfRange("beta1", () => create(3, 1e-3, bad, 0.999, 1e-8, 0));
                AssertOutOfRange("beta2", () => create(3, 1e-3, 0.9, bad, 1e-8, 0));
            }

            Assert.Equal(0.0, create(3, 1e-3, 0, 0, 0, 0).LearningRate - 1e-3); // betas and ε of 0 are valid, as in PyTorch
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Settable_properties_reject_invalid_values(string name)
    {
        Optimizer optimizer = OptimizerCatalog.Create(name, 3);
        foreach (double bad in NotFiniteOrNegative)
        {
            AssertOutOfRange("value", () => optimizer.LearningRate = bad);
            AssertOutOfRange("value", () => optimizer.MaxGradientNorm = bad);
        }

        AssertOutOfRange("value", () => optimizer.MaxGradientNorm = 0);
        Assert.NotEqual(-1e-3, optimizer.LearningRate);
        Assert.Null(optimizer.MaxGradientNorm);
        optimizer.MaxGradientNorm = 2;
        optimizer.MaxGradientNorm = null;
        optimizer.LearningRate = 0;
        Assert.Equal(0, optimizer.LearningRate);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Step_rejects_wrong_lengths_and_batch_sizes_without_writing(string name)
    {
        const int Count = N4_6ReLU_3Softmax_Ce.ParameterCount;
        Optimizer optimizer = OptimizerCatalog.Create(name, Count, maxGradientNorm: 1);
        float[] parameters = Enumerable.Range(0, Count).Select(i => i * 0.1f).ToArray();
        float[] gradients = Enumerable.Range(0, Count).Select(i => 1f - (i * 0.05f)).ToArray();
        float[] parametersBefore = parameters.ToArray(), gradientsBefore = gradients.ToArray();

        foreach (int wrong in new[] { 0, 1, Count - 1, Count + 1 })
        {
            AssertWrongLength("parameters", () => optimizer.Step(new float[wrong], gradients));
            AssertWrongLength("gradients", () => optimizer.Step(parameters, new float[wrong]));
        }

        AssertOutOfRange("batchSize", () => optimizer.Step(parameters, gradients, batchSize: 0));
        AssertOutOfRange("batchSize", () => optimizer.Step(parameters, gradients, batchSize: -2));

        var net = GenericTest.Create<N4_6ReLU_3Softmax_Ce>(1);
        net.Backward([0.1f, 0.2f, 0.3f, 0.4f], [0f, 1f, 0f]);
        float[] netParameters = net.Parameters.ToArray(), netGradients = net.Gradients.ToArray();
        AssertOutOfRange("batchSize", () => optimizer.Step(net, batchSize: 0));
        AssertWrongLength("network", () => OptimizerCatalog.Create(name, Count + 1).Step(net));
        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => optimizer.Step<N4_6ReLU_3Softmax_Ce>(null!)).ParamName);

        Assert.Equal(parametersBefore, parameters);
        Assert.Equal(gradientsBefore, gradients);
        Assert.Equal(netParameters, net.Parameters.ToArray());
        Assert.Equal(netGradients, net.Gradients.ToArray());
        Assert.Equal(0, optimizer.StepCount);
        Assert.True(float.IsNaN(optimizer.GradientNorm));
    }

    [Fact]
    public void Schedules_reject_invalid_settings_and_epochs()
    {
        foreach (double bad in NotFiniteOrNegative)
        {
            AssertOutOfRange("learningRate", () => new ConstantSchedule(bad));
            AssertOutOfRange("initialLearningRate", () => new StepSchedule(bad, stepSize: 1));
            AssertOutOfRange("initialLearningRate", () => new ExponentialSchedule(bad, gamma: 0.5));
            AssertOutOfRange("initialLearningRate", () => new CosineAnnealingSchedule(bad, period: 1));
            AssertOutOfRange("gamma", () => new StepSchedule(0.1, stepSize: 1, gamma: bad));
            AssertOutOfRange("gamma", () => new ExponentialSchedule(0.1, gamma: bad));
            AssertOutOfRange("minimumLearningRate", () => new CosineAnnealingSchedule(0.1, period: 1, minimumLearningRate: bad));
        }

        AssertOutOfRange("gamma", () => new StepSchedule(0.1, stepSize: 1, gamma: 0));
        AssertOutOfRange("gamma", () => new ExponentialSchedule(0.1, gamma: 0));
        AssertOutOfRange("stepSize", () => new StepSchedule(0.1, stepSize: 0));
        AssertOutOfRange("period", () => new CosineAnnealingSchedule(0.1, period: 0));

        var sgd = new Sgd(3, 0.5);
        foreach (LearningRateSchedule schedule in OptimizerCatalog.Schedules(0.1))
        {
            AssertOutOfRange("epoch", () => schedule.LearningRateAt(-1));
            AssertOutOfRange("epoch", () => schedule.Apply(sgd, -1));
            Assert.Equal("optimizer", Assert.Throws<ArgumentNullException>(() => schedule.Apply(null!, 0)).ParamName);
        }

        Assert.Equal(0.5, sgd.LearningRate);
    }

    [Fact]
    public void Clipping_rejects_a_max_norm_that_is_not_positive()
    {
        float[] gradients = [3f, 4f];
        foreach (float bad in new[] { 0f, -1f, float.NaN, float.PositiveInfinity })
        {
            AssertOutOfRange("maxNorm", () => GradientClipping.ClipByGlobalNorm(gradients, bad));
        }

        Assert.Equal([3f, 4f], gradients);
    }

    private static void AssertOutOfRange(string paramName, Action action)
    {
        ArgumentOutOfRangeException exception = Assert.Throws<ArgumentOutOfRangeException>(action);
        Assert.Equal(paramName, exception.ParamName);
        Assert.Contains(paramName, exception.Message, StringComparison.Ordinal);
    }

    private static void AssertOutOfRange(string paramName, Func<object> action) => AssertOutOfRange(paramName, () => { action(); });

    private static void AssertWrongLength(string paramName, Action action)
    {
        ArgumentException exception = Assert.Throws<ArgumentException>(action);
        Assert.Equal(paramName, exception.ParamName);
    }
}
