using System;
using System.Collections.Generic;
using NetGen.Data;
using NetGen.Evaluation;
using NetGen.Samples.Digits;
using NetGen.Training;

namespace NetGen.Samples.Browser;

/// <summary>
/// The Digits sample's training (<see cref="DigitsExperiment"/>: the same splits, scaling, network, seed, Adam, batch
/// size and early stopping) run one epoch per call, so that a single-threaded page can give the browser back its
/// thread between epochs.
/// </summary>
/// <remarks>
/// Each epoch is one <see cref="Trainer{TNet}.Fit"/> call of one epoch on the same trainer, whose shuffling generator
/// goes on from call to call; early stopping is done here across the calls, with the rule of NetGen's
/// <see cref="EarlyStopping"/> (validation loss, no minimum change, the best epoch's weights put back at the end).
/// The one difference from <see cref="DigitsExperiment.Run"/>: each <c>Fit</c> call shuffles the training samples
/// from dataset order, where one long <c>Fit</c> shuffles the previous epoch's order, so the two see the samples in
/// other (equally random) orders and end with close but not equal weights.
/// </remarks>
public sealed class DigitsTraining
{
    private readonly Trainer<DigitsNet> _trainer;
    private readonly float[] _bestParameters = new float[DigitsNet.ParameterCount];
    private readonly List<EpochReport> _reports = [];
    private int _sinceBest;

    /// <summary>Splits and scales the digits and creates the network and its optimizer.</summary>
    /// <param name="digits">The images with raw pixels, as <see cref="DigitsData.Load(System.IO.Stream, string)"/> reads them.</param>
    /// <param name="seed">Fixes the splits, the initial weights and the sample order.</param>
    /// <param name="maxEpochs">The most epochs to train for.</param>
    /// <param name="patience">Epochs without a lower validation loss before training stops.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxEpochs"/> or <paramref name="patience"/> is below 1.</exception>
    public DigitsTraining(
        Dataset digits,
        int seed = DigitsExperiment.DefaultSeed,
        int maxEpochs = DigitsExperiment.DefaultEpochs,
        int patience = DigitsExperiment.DefaultPatience)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEpochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(patience, 1);
        Splits = DigitsExperiment.Split(digits, seed);
        Seed = seed;
        MaxEpochs = maxEpochs;
        Patience = patience;
        Network = new DigitsNet(seed);
        var optimizer = new Adam(DigitsNet.ParameterCount, DigitsExperiment.DefaultLearningRate);
        _trainer = new Trainer<DigitsNet>(Network, optimizer, new TrainingOptions
        {
            Epochs = 1,
            BatchSize = DigitsExperiment.DefaultBatchSize,
            Random = Splits.Random,
        });
    }

    /// <summary>The seed of the splits, the initial weights and the sample order.</summary>
    public int Seed { get; }

    /// <summary>The most epochs to train for.</summary>
    public int MaxEpochs { get; }

    /// <summary>Epochs without a lower validation loss before training stops.</summary>
    public int Patience { get; }

    /// <summary>The training, validation and test sets (scaled), the raw test images and the pixel scaling.</summary>
    public DigitsSplit Splits { get; }

    /// <summary>The network; after <see cref="IsFinished"/> it holds the best epoch's weights.</summary>
    public DigitsNet Network { get; }

    /// <summary>One report per epoch trained so far, numbered from 1.</summary>
    public IReadOnlyList<EpochReport> Reports => _reports;

    /// <summary>The epoch with the lowest validation loss so far, or <see langword="null"/> before the first.</summary>
    public EpochReport? Best { get; private set; }

    /// <summary>Whether training has ended (stopped early or ran all epochs) and the best weights are back in place.</summary>
    public bool IsFinished { get; private set; }

    /// <summary>Whether training ended because the validation loss stopped improving.</summary>
    public bool StoppedEarly { get; private set; }

    /// <summary>
    /// Trains one epoch (mini-batches of <see cref="DigitsExperiment.DefaultBatchSize"/> with Adam, then the training
    /// and validation sets measured) and decides whether to go on; when training ends, puts back the best epoch's
    /// weights.
    /// </summary>
    /// <returns>The epoch's report, numbered from 1 within this training run.</returns>
    /// <exception cref="InvalidOperationException">Training has already finished.</exception>
    public EpochReport TrainEpoch()
    {
        if (IsFinished)
        {
            throw new InvalidOperationException("Training has finished; create a new DigitsTraining to train again.");
        }

        TrainingHistory history = _trainer.Fit(Splits.Train, Splits.Validation);
        EpochReport report = history[0] with { Epoch = _reports.Count + 1, EpochCount = MaxEpochs };
        _reports.Add(report);

        double loss = report.ValidationLoss!.Value; // there is always a validation set
        if (Best is null || loss < Best.Value.ValidationLoss!.Value)
        {
            Best = report;
            _sinceBest = 0;
            Network.Parameters.CopyTo(_bestParameters);
        }
        else if (++_sinceBest >= Patience)
        {
            StoppedEarly = report.Epoch < MaxEpochs;
            Finish();
        }

        if (!IsFinished && report.Epoch == MaxEpochs)
        {
            Finish();
        }

        return report;
    }

    /// <summary>Measures the network on the held-out test set (never trained on, nor used for early stopping).</summary>
    public EvaluationResult EvaluateTest() => Evaluator.Evaluate(Network, Splits.Test, DigitsData.ClassNames);

    private void Finish()
    {
        _bestParameters.CopyTo(Network.Parameters);
        IsFinished = true;
    }
}
