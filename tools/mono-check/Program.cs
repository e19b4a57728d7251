using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Numerics;
using NetGen;
using NetGen.Data;
using NetGen.Evaluation;
using NetGen.Numerics;
using NetGen.Onnx;
using NetGen.Serialization;
using NetGen.Training;

public static class Program
{
    private static int _failures;

    public static int Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "check";
        Console.WriteLine($"Runtime: {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}; Vector.IsHardwareAccelerated={Vector.IsHardwareAccelerated}, Vector<float>.Count={Vector<float>.Count}");
        switch (mode)
        {
            case "check": Check(); break;
            case "kernels": Kernels.Dump(args[1]); break;
            case "bench": Bench.Run(); break;
        }

        Console.WriteLine(_failures == 0 ? "ALL OK" : $"{_failures} FAILURE(S)");
        return _failures == 0 ? 0 : 1;
    }

    private static void Expect(bool ok, string what)
    {
        Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {what}");
        if (!ok)
        {
            _failures++;
        }
    }

    private static void Try(string what, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            Expect(false, $"{what}: {e.GetType().Name}: {e.Message}");
            Console.WriteLine(e);
        }
    }

    private static Dataset Xor() => Dataset.FromBinaryLabels(new float[] { 0, 0, 0, 1, 1, 0, 1, 1 }, 2, new[] { 0, 1, 1, 0 });

    private static void Check()
    {
        Try("Dataset", () =>
        {
            Dataset data = Xor();
            Expect(data.Count == 4 && data.FeatureCount == 2 && data.TargetCount == 1 && data.HasLabels && data.ClassCount == 2, "Dataset.FromBinaryLabels: 4 samples, 2 features, 1 target, 2 classes");
            Dataset selected = data.Select(new[] { 3, 0 });
            Expect(selected.Count == 2 && selected.Features(0)[0] == 1f && selected.Label(1) == 0, "Dataset.Select");
        });

        Try("Standardizer", () =>
        {
            var rows = new float[] { 1, 10, 3, 30, 5, 50 };
            Standardizer standardizer = Standardizer.Fit(rows, 2);
            var copy = (float[])rows.Clone();
            standardizer.Apply(copy);
            Expect(Math.Abs(copy[0] + copy[2] + copy[4]) < 1e-5 && copy[4] > 1f, $"Standardizer.Fit/Apply: column 0 becomes {copy[0]}, {copy[2]}, {copy[4]}");
            standardizer.Inverse(copy);
            Expect(Math.Abs(copy[5] - 50f) < 1e-4, "Standardizer.Inverse round trip");
        });

        var network = new XorNetwork();
        Try("Trainer", () =>
        {
            var optimizer = new Sgd(9, learningRate: 2.0, momentum: 0.9);
            TrainingHistory history = Trainer.Fit(network, optimizer, Xor(), new TrainingOptions { Epochs = 1500, BatchSize = 4, Shuffle = false });
            Expect(history.Count == 1500, $"Trainer.Fit: {history.Count} epochs, last: {history.Last}");
            double accuracy = Evaluator.Accuracy(network, Xor());
            Expect(accuracy == 1.0, $"Evaluator.Accuracy after training: {accuracy}");
            EvaluationResult result = Evaluator.Evaluate(network, Xor());
            Expect(result.MeanLoss < 0.1, $"Evaluator.Evaluate: {result}");
            Span<float> output = stackalloc float[1];
            network.Forward(new float[] { 1, 0 }, output);
            Expect(Evaluator.PredictedClass<XorNetwork>(output) == 1 && Evaluator.PredictedClass(network, output) == 1, $"Evaluator.PredictedClass (both overloads) of {output[0]}");
        });

        Try("WeightFile", () =>
        {
            byte[] bytes = WeightFile.Serialize(network);
            var loaded = new XorNetwork();
            WeightFile.Load(loaded, bytes);
            Expect(loaded.Parameters.SequenceEqual(network.Parameters), $"WeightFile.Serialize/Load round trip ({bytes.Length} bytes)");
            string path = Path.Combine(Path.GetTempPath(), "netgen-mono-check.ngw");
            WeightFile.SaveFile(network, path, Standardizer.Fit(new float[] { 0, 0, 1, 1 }, 2));
            WeightFile.SaveFile(network, path); // replaces the file (File.Move with overwrite)
            var fromFile = new XorNetwork();
            Standardizer s = WeightFile.LoadFile(fromFile, path);
            Expect(fromFile.Parameters.SequenceEqual(network.Parameters) && s is null, "WeightFile.SaveFile (twice, replacing)/LoadFile round trip");
            using var stream = new MemoryStream();
            WeightFile.Save(network, stream);
            stream.Position = 0;
            var fromStream = new XorNetwork();
            WeightFile.Load(fromStream, stream);
            Expect(fromStream.Parameters.SequenceEqual(network.Parameters), "WeightFile.Save/Load through a stream");
            File.Delete(path);
        });

        Try("OnnxExporter", () =>
        {
            byte[] onnx = OnnxExporter.ToBytes(network);
            Expect(onnx.Length > 100, $"OnnxExporter.ToBytes: {onnx.Length} bytes");
            NetworkArchitecture architecture = NetworkArchitecture.Of<XorNetwork>();
            Expect(architecture.ToString() == "2-2(Sigmoid)-1(Sigmoid), BinaryCrossEntropy", $"NetworkArchitecture.Of<XorNetwork>(): {architecture}");
        });

        Try("Allocation", () =>
        {
            var optimizer = new Adam(9, learningRate: 0.01);
            float[] input = { 1, 0 };
            float[] target = { 1 };
            for (int i = 0; i < 1000; i++)
            {
                Trainer.TrainStep(network, optimizer, input, target);
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100_000; i++)
            {
                Trainer.TrainStep(network, optimizer, input, target);
            }

            long after = GC.GetAllocatedBytesForCurrentThread();
            var garbage = new byte[1000];
            long afterGarbage = GC.GetAllocatedBytesForCurrentThread();
            GC.KeepAlive(garbage);
            Expect(afterGarbage - after >= 1000, $"GC.GetAllocatedBytesForCurrentThread counts a 1000-byte array: {afterGarbage - after} bytes");
            Expect(after - before == 0, $"Trainer.TrainStep (Adam) x 100000 after warm-up allocates {after - before} bytes");
            Evaluator.MeanLoss(network, Xor_Cached);
            before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10_000; i++)
            {
                Evaluator.MeanLoss(network, Xor_Cached);
            }

            after = GC.GetAllocatedBytesForCurrentThread();
            Expect(after - before == 0, $"Evaluator.MeanLoss x 10000 after one warm-up call allocates {after - before} bytes");
        });
    }

    private static readonly Dataset Xor_Cached = Xor();
}
