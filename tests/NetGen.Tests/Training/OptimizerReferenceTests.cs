using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using NetGen.Training;

namespace NetGen.Tests;

/// <summary>
/// Checks NetGen's optimizers, schedules and clipping against <c>torch.optim</c>: every case of
/// <c>TestData/optim/optim_reference.json</c> (written by <c>make_optim_reference.py</c> with PyTorch) starts from the
/// same 37 float32 parameters, applies the same 8 recorded gradients, and must give PyTorch's parameters after every
/// step, PyTorch's learning rate before every step and (with clipping) PyTorch's gradient norms.
/// </summary>
public sealed class OptimizerReferenceTests
{
    /// <summary>
    /// Absolute part of the parameter tolerance (~8 float32 ulps at 1). Parameters are O(1) and move by up to ~0.1 per
    /// step; NetGen and PyTorch compute the same float32 operations in the same order, but may fuse multiply-adds and
    /// round a division differently. Measured on x64 (AVX2, .NET 10): the SGD cases are bit-identical and the Adam
    /// ones at most 6e-8 apart after 8 steps, so this leaves room for other vector widths. A wrong formula (a missing
    /// bias correction, ε inside the square root, coupled instead of decoupled decay, dampened momentum, a schedule off
    /// by one epoch) moves parameters by 1e-4 or more.
    /// </summary>
    private const double AbsoluteTolerance = 1e-6;

    /// <summary>Relative part of the tolerance, for the few parameters above 1.</summary>
    private const double RelativeTolerance = 1e-6;

    private static readonly Lazy<OptimizerReference> Reference = new(Load);

    public static TheoryData<string> CaseNames => new(Reference.Value.Cases.Select(c => c.Name));

    [Fact]
    public void Reference_covers_every_optimizer_option_schedule_and_a_simd_tail()
    {
        OptimizerCase[] cases = Reference.Value.Cases;
        Assert.Equal(["Adam", "AdamW", "Sgd"], cases.Select(c => c.Optimizer).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(cases, c => c.Optimizer == "Sgd" && c.Options.Momentum is null && c.Options.WeightDecay is null);
        Assert.Contains(cases, c => c.Optimizer == "Sgd" && c.Options.Momentum is null && c.Options.WeightDecay > 0);
        Assert.Contains(cases, c => c.Optimizer == "Sgd" && c.Options.Momentum > 0 && c.Options.Nesterov is not true && c.Options.WeightDecay is null);
        Assert.Contains(cases, c => c.Optimizer == "Sgd" && c.Options.Nesterov is true);
        Assert.Contains(cases, c => c.Optimizer == "Sgd" && c.Options.Momentum > 0 && c.Options.WeightDecay > 0);
        Assert.Contains(cases, c => c.Optimizer == "Adam" && c.Options.WeightDecay > 0);
        Assert.Contains(cases, c => c.Optimizer == "AdamW" && c.Options.WeightDecay > 0);
        Assert.Equal(["Adam", "AdamW", "Sgd"], cases.Where(c => c.MaxGradientNorm is not null).Select(c => c.Optimizer).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(
            ["Constant", "CosineAnnealing", "Exponential", "Step"],
            cases.Where(c => c.Schedule is not null).Select(c => c.Schedule!.Kind).Distinct().Order(StringComparer.Ordinal));
        Assert.All(cases, c => Assert.True(c.Steps.Length >= 5));

        // Not a multiple of any vector width, so every kernel runs its scalar tail too.
        Assert.NotEqual(0, Reference.Value.Parameters.Length % 4);
    }

    [Fact]
    public void Reference_clipping_cases_clip_and_leave_alone()
    {
        ClippingCase[] cases = Reference.Value.Clipping;
        Assert.Contains(cases, c => c.Norm > c.MaxNorm);
        Assert.Contains(cases, c => c.Norm < c.MaxNorm);
        float[] norms = Reference.Value.Cases.First(c => c.GradientNorms is not null).GradientNorms!;
        double maxNorm = Reference.Value.Cases.First(c => c.GradientNorms is not null).MaxGradientNorm!.Value;
        Assert.Contains(norms, n => n > maxNorm);
        Assert.Contains(norms, n => n < maxNorm);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Steps_match_torch_optim(string name)
    {
        OptimizerReference reference = Reference.Value;
        OptimizerCase test = reference.Cases.Single(c => c.Name == name);
        Optimizer optimizer = CreateOptimizer(test, reference.Parameters.Length);
        optimizer.MaxGradientNorm = test.MaxGradientNorm;
        LearningRateSchedule? schedule = CreateSchedule(test);
        float[] parameters = reference.Parameters.ToArray();

        for (int step = 0; step < test.Steps.Length; step++)
        {
            schedule?.Apply(optimizer, step);
            double expectedRate = test.LearningRates[step];
            Check.Close(expectedRate, optimizer.LearningRate, 1e-15 + (1e-12 * expectedRate), () => $"learning rate before step {step + 1}");

            float[] gradients = reference.Gradients[step].ToArray();
            optimizer.Step(parameters, gradients);

            Assert.All(gradients, g => Assert.Equal(0f, g));
            Assert.Equal(step + 1, optimizer.StepCount);
            if (test.GradientNorms is { } norms)
            {
                Check.Close(norms[step], optimizer.GradientNorm, 2e-6 * norms[step], () => $"gradient norm of step {step + 1}");
            }
            else
            {
                Assert.True(float.IsNaN(optimizer.GradientNorm));
            }

            float[] expected = test.Steps[step];
            for (int i = 0; i < expected.Length; i++)
            {
                int index = i;
                Check.Close(
                    expected[i], parameters[i], AbsoluteTolerance + (RelativeTolerance * Math.Abs(expected[i])),
                    () => $"{name}: parameter {index} after step {step + 1}");
            }
        }
    }

    [Fact]
    public void Clipping_matches_clip_grad_norm()
    {
        foreach (ClippingCase test in Reference.Value.Clipping)
        {
            float[] gradients = test.Gradients.ToArray();
            float norm = GradientClipping.ClipByGlobalNorm(gradients, test.MaxNorm);

            Check.Close(test.Norm, norm, 2e-6 * test.Norm, () => $"norm (max {test.MaxNorm})");
            Assert.Equal(test.Norm, GradientClipping.GlobalNorm(test.Gradients), 2e-6 * test.Norm);
            for (int i = 0; i < gradients.Length; i++)
            {
                int index = i;
                Check.Close(test.Clipped[i], gradients[i], 1e-7 + (1e-6 * Math.Abs(test.Clipped[i])), () => $"gradient {index} clipped to {test.MaxNorm}");
            }

            if (test.Norm < test.MaxNorm)
            {
                Assert.Equal(test.Gradients, gradients); // a short gradient is left exactly as it was
            }
        }
    }

    private static Optimizer CreateOptimizer(OptimizerCase test, int count)
    {
        CaseOptions o = test.Options;
        return test.Optimizer switch
        {
            "Sgd" => new Sgd(count, o.LearningRate, o.Momentum ?? 0, o.Nesterov ?? false, o.WeightDecay ?? 0),
            "Adam" => new Adam(count, o.LearningRate, o.Beta1 ?? 0.9, o.Beta2 ?? 0.999, o.Epsilon ?? 1e-8, o.WeightDecay ?? 0),
            "AdamW" => new AdamW(count, o.LearningRate, o.Beta1 ?? 0.9, o.Beta2 ?? 0.999, o.Epsilon ?? 1e-8, o.WeightDecay ?? 1e-2),
            _ => throw new InvalidDataException($"Unknown optimizer {test.Optimizer}."),
        };
    }

    private static LearningRateSchedule? CreateSchedule(OptimizerCase test)
    {
        double initial = test.Options.LearningRate;
        return test.Schedule switch
        {
            null => null,
            { Kind: "Constant" } => new ConstantSchedule(initial),
            { Kind: "Step" } s => new StepSchedule(initial, s.StepSize!.Value, s.Gamma!.Value),
            { Kind: "Exponential" } s => new ExponentialSchedule(initial, s.Gamma!.Value),
            { Kind: "CosineAnnealing" } s => new CosineAnnealingSchedule(initial, s.Period!.Value, s.Minimum!.Value),
            { } s => throw new InvalidDataException($"Unknown schedule {s.Kind}."),
        };
    }

    private static OptimizerReference Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", "optim", "optim_reference.json");
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        };
        using FileStream stream = File.OpenRead(path);
        OptimizerReference file = JsonSerializer.Deserialize<OptimizerReference>(stream, options)
            ?? throw new InvalidDataException($"{path} is empty.");
        Assert.Equal("netgen-optimizer-reference/1", file.Format);
        return file;
    }

    private sealed record OptimizerReference(
        string Format, string Description, string Torch, int Seed, float[] Parameters, float[][] Gradients,
        OptimizerCase[] Cases, ClippingCase[] Clipping);

    private sealed record OptimizerCase(
        string Name, string Optimizer, CaseOptions Options, double? MaxGradientNorm, ScheduleOptions? Schedule,
        double[] LearningRates, float[]? GradientNorms, float[][] Steps);

    private sealed record CaseOptions(
        double LearningRate, double? Momentum, bool? Nesterov, double? WeightDecay, double? Beta1, double? Beta2, double? Epsilon);

    private sealed record ScheduleOptions(string Kind, int? StepSize, double? Gamma, int? Period, double? Minimum);

    private sealed record ClippingCase(float MaxNorm, float[] Gradients, float Norm, float[] Clipped);
}
