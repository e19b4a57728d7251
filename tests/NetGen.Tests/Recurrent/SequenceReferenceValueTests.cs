using System.Linq;
using static NetGen.Tests.SequenceReferenceChecks;

namespace NetGen.Tests;

/// <summary>
/// Checks NetGen's sequence networks against PyTorch: for the networks of <c>SequenceReferenceNetworks.cs</c>, with the
/// weights of <c>TestData/reference/sequence_reference.json</c> (written by <c>make_sequence_reference.py</c> with
/// PyTorch's <c>nn.GRU</c>, <c>nn.LSTM</c>, <c>nn.RNN</c> and <c>nn.Linear</c>, float32), every output of
/// <c>Forward</c> (on each whole sequence and on each of its prefixes), every output of the streaming <c>Step</c>, every
/// loss returned by <c>Backward</c> and every per-sample gradient must equal PyTorch's within 5e-6 + 5e-5 · |PyTorch's
/// value|. The checks themselves are <see cref="SequenceReferenceChecks"/>' (shared with the conformance runner,
/// tests/NetGen.Conformance); this class runs them as xunit facts and one theory case per network.
/// </summary>
public sealed class SequenceReferenceValueTests
{
    public static TheoryData<string> NetworkNames => new(SequenceReferenceChecks.NetworkNames);

    [Fact]
    public void Reference_file_holds_exactly_the_networks_declared_here() => FileHoldsExactlyTheDeclaredNetworks();

    [Fact]
    public void Reference_file_is_consistent() => FileIsConsistent();

    [Fact]
    public void Reference_networks_cover_every_kind_stack_loss_size_and_length()
    {
        SequenceNetwork[] networks = SequenceReferenceChecks.Reference.Networks;
        ReferenceLayer[] recurrent = networks.SelectMany(n => n.Layers).Where(l => l.Kind != LayerKind.Dense).ToArray();
        ReferenceLayer[] dense = networks.SelectMany(n => n.Layers).Where(l => l.Kind == LayerKind.Dense).ToArray();

        // Every recurrent kind, the Elman layer with both nonlinearities; every dense activation but Step in a head.
        Assert.Contains(recurrent, l => l.Kind == LayerKind.Gru);
        Assert.Contains(recurrent, l => l.Kind == LayerKind.Lstm);
        Assert.Contains(recurrent, l => l.Kind == LayerKind.Rnn && l.Activation == Activation.Tanh);
        Assert.Contains(recurrent, l => l.Kind == LayerKind.Rnn && l.Activation == Activation.ReLU);
        Assert.Equal(
            Enum.GetValues<Activation>().Where(a => a != Activation.Step).Order(),
            dense.Select(l => l.Activation!.Value).Distinct().Order());

        // Every loss; one to three recurrent layers, stacked kinds alike and different; hidden dense layers.
        Assert.Equal(Enum.GetValues<Loss>().Order(), networks.Select(n => n.Loss).Distinct().Order());
        Assert.Equal([1, 2, 3], networks.Select(n => n.Layers.Count(l => l.Kind != LayerKind.Dense)).Distinct().Order());
        var stacked = networks
            .SelectMany(n => n.Layers.Zip(n.Layers.Skip(1)))
            .Where(pair => pair.First.Kind != LayerKind.Dense && pair.Second.Kind != LayerKind.Dense)
            .Select(pair => (pair.First.Kind, pair.Second.Kind))
            .ToHashSet();
        Assert.Contains((LayerKind.Gru, LayerKind.Gru), stacked);
        Assert.Contains((LayerKind.Lstm, LayerKind.Gru), stacked);
        Assert.Contains((LayerKind.Rnn, LayerKind.Lstm), stacked);
        Assert.Contains(networks, n => n.Layers.Count(l => l.Kind == LayerKind.Dense) >= 2);

        // Sizes: one-unit and 64-unit recurrent layers, one and 13 features per step.
        Assert.Contains(recurrent, l => l.Units == 1);
        Assert.Contains(recurrent, l => l.Units >= 64);
        Assert.Contains(networks, n => n.Inputs == 1);
        Assert.Contains(networks, n => n.Inputs >= 13);

        // Lengths: every network has a 1-step, a 2-step and a 50-step sample; one declares MaxSteps = its longest.
        foreach (SequenceNetwork network in networks)
        {
            int[] steps = network.Samples.Select(s => s.Steps).ToArray();
            Assert.True(steps.Length >= 3, $"{network.Name} has {steps.Length} samples");
            Assert.True(steps.Contains(1) && steps.Contains(2) && steps.Max() >= 50, $"{network.Name} has lengths {string.Join(", ", steps)}");
        }

        Assert.Contains(networks, n => n.MaxSteps == n.Samples.Max(s => s.Steps));
        Assert.Contains(networks, n => n.Samples.Any(s => s.Steps > 2 && s.Steps < 50));
    }

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Declaration_matches_the_reference_architecture_and_parameter_count(string network) => SequenceReferenceChecks.Declaration(network);

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Forward_outputs_match_PyTorch(string network) => SequenceReferenceChecks.Forward(network);

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Forward_on_every_prefix_matches_PyTorch(string network) => SequenceReferenceChecks.ForwardOnEveryPrefix(network);

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Step_streams_the_prefix_outputs_and_equals_Forward_on_each_prefix(string network) => SequenceReferenceChecks.StepStreamsThePrefixOutputs(network);

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Step_keeps_each_sequence_in_its_own_State(string network) => SequenceReferenceChecks.StepKeepsEachSequenceInItsOwnState(network);

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Backward_loss_matches_PyTorch(string network) => SequenceReferenceChecks.BackwardLoss(network);

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Backward_per_sample_gradients_match_PyTorch(string network) => SequenceReferenceChecks.BackwardGradients(network);

    [Theory]
    [MemberData(nameof(NetworkNames))]
    public void Backward_adds_up_the_gradients_of_successive_sequences(string network) => SequenceReferenceChecks.Accumulation(network);
}
