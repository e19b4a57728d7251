using System;
using System.Globalization;
using NetGen.Samples.Iris;
using NetGen.Training;

// Classify iris flowers from four measurements with a 4-8-3 network generated at compile time (see IrisNet.cs).
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
IrisResult result = IrisExperiment.Run();

Console.WriteLine($"IrisNet 4-8-3 (ReLU, softmax), {IrisNet.ParameterCount} parameters, cross-entropy loss");
Console.WriteLine($"{result.TrainCount} training / {result.TestCount} test flowers (stratified 70/30 split, seed {IrisExperiment.DefaultSeed}), "
    + $"SGD learning rate {IrisExperiment.DefaultLearningRate}, batch size {IrisExperiment.DefaultBatchSize}");
Console.WriteLine();
Console.WriteLine("epoch  train loss  train accuracy");
foreach (EpochReport epoch in result.History)
{
    Console.WriteLine($"{epoch.Epoch,5}  {epoch.TrainingLoss,10:0.0000}  {epoch.TrainingAccuracy,14:0.0000}");
}

Console.WriteLine();
Console.WriteLine($"Test accuracy: {result.TestAccuracy:0.0000} ({result.Confusion.Correct} of {result.Confusion.Total})");
Console.WriteLine();
Console.WriteLine("Confusion matrix (rows: true class, columns: predicted class)");
Console.WriteLine(result.Confusion);
Console.WriteLine();
Console.WriteLine(result.Confusion.ClassificationReport());
