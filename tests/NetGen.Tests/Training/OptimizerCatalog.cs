using System.Collections.Generic;
using NetGen.Training;

namespace NetGen.Tests;

/// <summary>One configuration of every optimizer option, by name, for the behaviour, allocation and validation tests.</summary>
internal static class OptimizerCatalog
{
    private static readonly Dictionary<string, Func<int, Optimizer>> Factories = new()
    {
        ["Sgd"] = n => new Sgd(n, learningRate: 0.1),
        ["Sgd with weight decay"] = n => new Sgd(n, learningRate: 0.1, weightDecay: 0.01),
        ["Sgd with momentum"] = n => new Sgd(n, learningRate: 0.05, momentum: 0.9),
        ["Sgd with Nesterov momentum and weight decay"] = n => new Sgd(n, learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        ["Adam"] = n => new Adam(n, learningRate: 0.01),
        ["Adam with weight decay"] = n => new Adam(n, learningRate: 0.01, weightDecay: 0.1),
        ["AdamW"] = n => new AdamW(n, learningRate: 0.01, weightDecay: 0.1),
    };

    public static IEnumerable<string> Names => Factories.Keys;

    /// <summary>Every configuration, without and with clipping.</summary>
    public static TheoryData<string, bool> NamesWithClipping
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (string name in Names)
            {
                data.Add(name, false);
                data.Add(name, true);
            }

            return data;
        }
    }

    public static TheoryData<string> AllNames => new(Names);

    public static Optimizer Create(string name, int parameterCount, double? maxGradientNorm = null)
    {
        Optimizer optimizer = Factories[name](parameterCount);
        optimizer.MaxGradientNorm = maxGradientNorm;
        return optimizer;
    }

    public static LearningRateSchedule[] Schedules(double initial) =>
    [
        new ConstantSchedule(initial),
        new StepSchedule(initial, stepSize: 3, gamma: 0.5),
        new ExponentialSchedule(initial, gamma: 0.9),
        new CosineAnnealingSchedule(initial, period: 10, minimumLearningRate: initial / 100),
    ];
}
