using System.Linq;
using NetGen.Training;

namespace NetGen.Tests;

/// <summary>
/// The optimizers' contract on generated networks: a step on a batch's summed gradients uses their mean, clipping
/// measures the mean's norm, every step zeroes the gradients, both entry points agree, and <c>Reset</c> starts over.
/// </summary>
public sealed class OptimizerBehaviourTests
{
    /// <summary>Clipping at this norm cuts most batches of the test networks (their mean gradients' norms are ~0.1 to 1).</summary>
    private const double ClipNorm = 0.2;

    public static TheoryData<string, bool> Configurations => OptimizerCatalog.NamesWithClipping;

    public static TheoryData<string> Names => OptimizerCatalog.AllNames;

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Step_with_a_batch_size_equals_a_step_on_the_mean_gradient(string optimizer, bool clip)
    {
        MiniBatchContract<N4_6ReLU_3Softmax_Ce>(optimizer, clip);
        MiniBatchContract<N64_33Sigmoid_9LeakyReLU_Mse>(optimizer, clip);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Reset_starts_the_optimizer_over(string name)
    {
        const int Count = 45;
        var random = new Random(5);
        float[] start = RandomSamples.Uniform(random, Count, -1, 1);
        float[][] gradients = Enumerable.Range(0, 4).Select(_ => RandomSamples.Uniform(random, Count, -1, 1)).ToArray();
        Optimizer optimizer = OptimizerCatalog.Create(name, Count, maxGradientNorm: 1.0);

        float[] first = Run(optimizer, start, gradients);
        optimizer.Reset();
        Assert.Equal(0, optimizer.StepCount);
        Assert.True(float.IsNaN(optimizer.GradientNorm));
        float[] second = Run(optimizer, start, gradients);

        Assert.Equal(first, second);
        Assert.Equal(first, Run(OptimizerCatalog.Create(name, Count, maxGradientNorm: 1.0), start, gradients));
        Assert.NotEqual(start, first);
        Assert.Equal(1.0, optimizer.MaxGradientNorm); // settings survive a reset
    }

    [Fact]
    public void Defaults_are_PyTorchs()
    {
        var adam = new Adam(3);
        Assert.Equal((1e-3, 0.9, 0.999, 1e-8, 0.0), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon, adam.WeightDecay));
        var adamW = new AdamW(3);
        Assert.Equal((1e-3, 0.9, 0.999, 1e-8, 1e-2), (adamW.LearningRate, adamW.Beta1, adamW.Beta2, adamW.Epsilon, adamW.WeightDecay));
        var sgd = new Sgd(3, 0.1);
        Assert.Equal((0.1, 0.0, false, 0.0), (sgd.LearningRate, sgd.Momentum, sgd.Nesterov, sgd.WeightDecay));
        Assert.Equal(0.1, new StepSchedule(1, stepSize: 1).Gamma);
        Assert.Equal(0.0, new CosineAnnealingSchedule(1, period: 1).MinimumLearningRate);

        foreach (Optimizer optimizer in new Optimizer[] { adam, adamW, sgd })
        {
            Assert.Equal(3, optimizer.ParameterCount);
            Assert.Null(optimizer.MaxGradientNorm);
            Assert.True(float.IsNaN(optimizer.GradientNorm));
            Assert.Equal(0, optimizer.StepCount);
        }
    }

    [Fact]
    public void Plain_Sgd_instance_steps_like_the_static_Sgd_Step()
    {
        var random = new Random(9);
        var viaStatic = GenericTest.Create<N4_6ReLU_3Softmax_Ce>(4);
        var viaInstance = GenericTest.Create<N4_6ReLU_3Softmax_Ce>(4);
        var sgd = new Sgd(N4_6ReLU_3Softmax_Ce.ParameterCount, learningRate: 0.3);
        DeclaredNetwork network = DeclaredNetwork.Of<N4_6ReLU_3Softmax_Ce>();
        for (int batch = 0; batch < 5; batch++)
        {
            for (int sample = 0; sample < 3; sample++)
            {
                float[] input = RandomSamples.Input(random, network.Inputs);
                float[] target = RandomSamples.Target(random, network, sample);
                viaStatic.Backward(input, target);
                viaInstance.Backward(input, target);
            }

            Sgd.Step(viaStatic, 0.3f, batchSize: 3);
            sgd.Step(viaInstance, 3);

            Check.Close(viaStatic.Parameters, viaInstance.Parameters, 1e-6);
            Assert.All(viaInstance.Gradients.ToArray(), g => Assert.Equal(0f, g));
        }
    }

    [Fact]
    public void Learning_rate_changes_take_effect_on_the_next_step()
    {
        var sgd = new Sgd(2, learningRate: 0.5);
        float[] parameters = [1f, 2f];
        sgd.Step(parameters, [1f, -1f]);
        sgd.LearningRate = 0.25;
        sgd.Step(parameters, [1f, -1f]);
        new ExponentialSchedule(1, gamma: 0.5).Apply(sgd, epoch: 3); // 1 · 0.5³
        sgd.Step(parameters, [1f, -1f]);

        Assert.Equal([1f - 0.5f - 0.25f - 0.125f, 2f + 0.5f + 0.25f + 0.125f], parameters);
    }

    [Fact]
    public void Schedules_start_at_the_initial_rate_and_cosine_rises_again_after_its_period()
    {
        foreach (LearningRateSchedule schedule in OptimizerCatalog.Schedules(0.1))
        {
            Assert.Equal(0.1, schedule.LearningRateAt(0));
            Assert.Equal(0.1, schedule.InitialLearningRate);
        }

        var cosine = new CosineAnnealingSchedule(0.1, period: 4, minimumLearningRate: 0.02);
        Assert.Equal(0.02, cosine.LearningRateAt(4), 1e-15);
        Assert.Equal(cosine.LearningRateAt(3), cosine.LearningRateAt(5), 1e-15);
        Assert.Equal(0.1, cosine.LearningRateAt(8), 1e-15);
        Assert.Equal(0.0125, new StepSchedule(0.1, stepSize: 2, gamma: 0.5).LearningRateAt(7), 1e-17);
    }

    [Fact]
    public void Clipping_a_short_gradient_and_measuring_an_empty_one_change_nothing()
    {
        float[] gradients = [3f, -4f];
        Assert.Equal(5f, GradientClipping.ClipByGlobalNorm(gradients, maxNorm: 5.1f));
        Assert.Equal([3f, -4f], gradients);
        Assert.Equal(5f, GradientClipping.ClipByGlobalNorm(gradients, maxNorm: 1f));
        Assert.Equal(1f, GradientClipping.GlobalNorm(gradients), 1e-6f);
        Assert.Equal(0f, GradientClipping.GlobalNorm([]));
    }

    private static float[] Run(Optimizer optimizer, float[] start, float[][] gradients)
    {
        float[] parameters = start.ToArray();
        foreach (float[] gradient in gradients)
        {
            optimizer.Step(parameters, gradient.ToArray(), batchSize: 2);
        }

        return parameters;
    }

    /// <summary>
    /// Three networks start equal and see the same batches (of 1, 3, 5 and 7 samples): one steps with
    /// <c>Step(network, batchSize)</c>, one with the span overload and the batch size, one with its gradients divided
    /// by the batch size by hand and <c>Step(network)</c>. All three must agree; the first two exactly.
    /// </summary>
    private static void MiniBatchContract<TNet>(string name, bool clip)
        where TNet : class, INetwork
    {
        DeclaredNetwork network = DeclaredNetwork.Of<TNet>();
        int count = TNet.ParameterCount;
        var random = new Random(17);
        TNet summed = GenericTest.Create<TNet>(21), spans = GenericTest.Create<TNet>(21), mean = GenericTest.Create<TNet>(21);
        double? maxNorm = clip ? ClipNorm : null;
        Optimizer summedOptimizer = OptimizerCatalog.Create(name, count, maxNorm);
        Optimizer spanOptimizer = OptimizerCatalog.Create(name, count, maxNorm);
        Optimizer meanOptimizer = OptimizerCatalog.Create(name, count, maxNorm);
        bool clipped = false;

        foreach (int batchSize in new[] { 1, 3, 5, 7, 3 })
        {
            for (int sample = 0; sample < batchSize; sample++)
            {
                float[] input = RandomSamples.Input(random, network.Inputs);
                float[] target = RandomSamples.Target(random, network, sample);
                summed.Backward(input, target);
                spans.Backward(input, target);
                mean.Backward(input, target);
            }

            Span<float> meanGradients = mean.Gradients;
            for (int i = 0; i < meanGradients.Length; i++)
            {
                meanGradients[i] /= batchSize;
            }

            summedOptimizer.Step(summed, batchSize);
            spanOptimizer.Step(spans.Parameters, spans.Gradients, batchSize);
            meanOptimizer.Step(mean);

            foreach (TNet net in new[] { summed, spans, mean })
            {
                Assert.All(net.Gradients.ToArray(), g => Assert.Equal(0f, g));
            }

            Assert.Equal(summed.Parameters.ToArray(), spans.Parameters.ToArray());
            Check.Close(mean.Parameters, summed.Parameters, 1e-6);
            if (clip)
            {
                Check.Close(meanOptimizer.GradientNorm, summedOptimizer.GradientNorm, 1e-6 * meanOptimizer.GradientNorm, () => "gradient norm");
                Assert.Equal(summedOptimizer.GradientNorm, spanOptimizer.GradientNorm);
                clipped |= summedOptimizer.GradientNorm > ClipNorm;
            }
            else
            {
                Assert.True(float.IsNaN(summedOptimizer.GradientNorm));
            }
        }

        Assert.Equal(clip, clipped);
        Assert.Equal(5, summedOptimizer.StepCount);
    }
}
