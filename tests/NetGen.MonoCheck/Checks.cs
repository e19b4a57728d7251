using System;
using System.Globalization;
using System.IO;
using System.Linq;
using NetGen.Data;
using NetGen.Evaluation;
using NetGen.Initialization;
using NetGen.Onnx;
using NetGen.Serialization;
using NetGen.Training;

namespace NetGen.MonoCheck
{
    /// <summary>Everything the portable code must do as the modern code does.</summary>
    internal static class Checks
    {
        private const float OutputTolerance = 1e-5f;
        private const float GradientTolerance = 1e-4f;

        public static void Run(Results results)
        {
            Dense(results, "xor", new XorNet(11), XorNet.InputCount, XorNet.OutputCount, XorNet.LossFunction);
            Dense(results, "iris", new IrisNet(11), IrisNet.InputCount, IrisNet.OutputCount, IrisNet.LossFunction);
            Dense(results, "digits", new DigitsNet(11), DigitsNet.InputCount, DigitsNet.OutputCount, DigitsNet.LossFunction);
            Dense(results, "regression", new RegressionNet(11), RegressionNet.InputCount, RegressionNet.OutputCount, RegressionNet.LossFunction);
            Sequence<GestureNet, GestureNet.State>(results, "gesture", new GestureNet(11), GestureNet.InputCount, GestureNet.OutputCount, GestureNet.LossFunction);
            Sequence<ForecastNet, ForecastNet.State>(results, "forecast", new ForecastNet(11), ForecastNet.InputCount, ForecastNet.OutputCount, ForecastNet.LossFunction);
            Sequence<SwitchNet, SwitchNet.State>(results, "switch", new SwitchNet(11), SwitchNet.InputCount, SwitchNet.OutputCount, SwitchNet.LossFunction);
            Frozen(results);
            Files(results);
            TrainXor(results);
            TrainIris(results, threads: 1, batchSize: 1);
            TrainIris(results, threads: 2, batchSize: 16);
            UnityPageSample(results);
            UnityModelFiles(results);
        }

        /// <summary>
        /// The Unity package's editor script (src/NetGen.Unity/Editor/NetGenModelFiles.cs) in a scratch Unity project: it
        /// writes the text form of an imported model file, byte for byte the one this program was compiled with
        /// (Unity/Assets/Models, which gave <see cref="UnityFrozenIris"/> the weights of <see cref="FrozenIris"/>), and deletes
        /// it with the model file.
        /// </summary>
        private static void UnityModelFiles(Results results)
        {
            results.Require(UnityFrozenIris.Parameters.SequenceEqual(FrozenIris.Parameters), "the frozen network from Unity's additional file has other weights than the one from the build step");
            string project = Path.Combine(Path.GetTempPath(), "netgen-unity-" + Guid.NewGuid().ToString("N"));
            string original = Environment.CurrentDirectory;
            try
            {
                Directory.CreateDirectory(Path.Combine(project, "Assets", "Models"));
                File.Copy(Path.Combine(AppContext.BaseDirectory, "iris.ngw"), Path.Combine(project, "Assets", "Models", "iris.ngw"));
                Environment.CurrentDirectory = project; // Unity's asset paths are relative to the project
                const System.Reflection.BindingFlags Static = System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic;
                System.Reflection.MethodInfo postprocess = typeof(NetGen.Unity.Editor.NetGenModelFiles).GetMethod("OnPostprocessAllAssets", Static)!;
                string[] none = Array.Empty<string>();
                postprocess.Invoke(null, new object[] { new[] { "Assets/Models/iris.ngw", "Assets/Models/notes.txt" }, none, none, none });
                string written = "Assets/Models/iris_ngw.NetGen.Generator.additionalfile";
                string compiled = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Unity", "Assets", "Models", "iris_ngw.NetGen.Generator.additionalfile"));
                results.Require(File.Exists(written) && File.ReadAllText(written) == compiled, "the editor script did not write the text form this program was compiled with");
                results.Require(Directory.GetFiles("Assets/Models").Length == 2, "the editor script wrote files for what is no model file");
                postprocess.Invoke(null, new object[] { none, new[] { "Assets/Models/iris.ngw" }, none, none });
                results.Require(!File.Exists(written), "the editor script left the text form of a deleted model file");
            }
            finally
            {
                Environment.CurrentDirectory = original;
                Directory.Delete(project, recursive: true);
            }
        }

        /// <summary>
        /// docs/unity.md's MonoBehaviour, played as Unity would: Start once, then frames of Update. After Start's training
        /// every answer is within 0.05 of XOR, and a frame (four training steps and a Forward) allocates nothing.
        /// </summary>
        private static void UnityPageSample(Results results)
        {
            const System.Reflection.BindingFlags Private = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic;
            var behaviour = new global::XorBehaviour();
            typeof(global::XorBehaviour).GetMethod("Start", Private)!.Invoke(behaviour, null);
            var update = (Action)typeof(global::XorBehaviour).GetMethod("Update", Private)!.CreateDelegate(typeof(Action), behaviour);
            var answers = new float[4];
            for (int row = 0; row < 4; row++)
            {
                behaviour.a = row >= 2;
                behaviour.b = row % 2 == 1;
                update();
                answers[row] = behaviour.result;
                results.Require(Math.Abs(behaviour.result - (behaviour.a != behaviour.b ? 1 : 0)) < 0.05f, $"docs/unity.md's XorBehaviour answers {behaviour.result} for ({behaviour.a}, {behaviour.b})");
            }

            results.Note($"docs/unity.md's XorBehaviour after Start: {string.Join(" ", answers.Select(v => v.ToString("0.000", CultureInfo.InvariantCulture)))} for 00 01 10 11");
            results.Allocations("XorBehaviour", "Update", update);
        }

        /// <summary>A dense network: initial weights, outputs, loss, gradients, batches, predictions and a training step.</summary>
        private static void Dense<TNet>(Results results, string name, TNet network, int inputs, int outputs, Loss loss)
            where TNet : INetwork
        {
            const int Samples = 5;
            results.Exact(name + ".parameters", Hex(network.Parameters.ToArray()));
            float[] x = Values(Samples * inputs, 0.37);
            float[] t = Targets(Samples, outputs, loss);
            float[] y = new float[Samples * outputs];
            for (int s = 0; s < Samples; s++)
            {
                network.Forward(x.AsSpan(s * inputs, inputs), y.AsSpan(s * outputs, outputs));
            }

            results.Close(name + ".forward", y, OutputTolerance);
            network.ZeroGradients();
            float total = 0;
            for (int s = 0; s < Samples; s++)
            {
                total += network.Backward(x.AsSpan(s * inputs, inputs), t.AsSpan(s * outputs, outputs));
            }

            results.Close(name + ".loss", new[] { total }, OutputTolerance);
            results.Close(name + ".gradients", network.Gradients.ToArray(), GradientTolerance);
            float[] batch = new float[Samples * outputs];
            network.ForwardBatch(x, batch);
            results.Close(name + ".forwardBatch", batch, OutputTolerance);
            network.ZeroGradients();
            results.Close(name + ".backwardBatch.loss", new[] { network.BackwardBatch(x, t) }, OutputTolerance);
            results.Close(name + ".backwardBatch.gradients", network.Gradients.ToArray(), GradientTolerance);
            int[] classes = new int[Samples];
            network.PredictBatch(x, classes);
            results.Exact(name + ".predictions", string.Join(" ", Enumerable.Range(0, Samples).Select(s => network.Predict(x.AsSpan(s * inputs, inputs))).Concat(classes)));

            var sgd = new Sgd(network.Parameters.Length, 0.01);
            results.Allocations(name, "Forward", () => network.Forward(x.AsSpan(0, inputs), y.AsSpan(0, outputs)));
            results.Allocations(name, "Backward", () => network.Backward(x.AsSpan(0, inputs), t.AsSpan(0, outputs)));
            results.Allocations(name, "ForwardBatch", () => network.ForwardBatch(x, batch));
            results.Allocations(name, "BackwardBatch", () => network.BackwardBatch(x, t));
            results.Allocations(name, "Predict", () => network.Predict(x.AsSpan(0, inputs)));
            results.Allocations(name, "TrainStep", () => Trainer.TrainStep(network, sgd, x.AsSpan(0, inputs), t.AsSpan(0, outputs)));
        }

        /// <summary>A sequence network: Forward, Step, Backward through time and batches of sequences.</summary>
        private static void Sequence<TNet, TState>(Results results, string name, TNet network, int inputs, int outputs, Loss loss)
            where TNet : ISequenceNetwork<TState>
            where TState : struct
        {
            const int Steps = 7;
            results.Exact(name + ".parameters", Hex(network.Parameters.ToArray()));
            float[] sequence = Values(Steps * inputs, 0.61);
            float[] target = Targets(1, outputs, loss);
            float[] y = new float[outputs];
            network.Forward(sequence, y);
            results.Close(name + ".forward", y, OutputTolerance);

            float[] steps = new float[Steps * outputs];
            TState state = default;
            for (int s = 0; s < Steps; s++)
            {
                network.Step(ref state, sequence.AsSpan(s * inputs, inputs), steps.AsSpan(s * outputs, outputs));
            }

            results.Close(name + ".steps", steps, OutputTolerance);
            results.Require(Differences(y, steps.AsSpan((Steps - 1) * outputs, outputs).ToArray()) <= OutputTolerance, $"{name}: Step after the last step differs from Forward");
            network.ZeroGradients();
            float lossSum = network.Backward(sequence, target) + network.Backward(sequence.AsSpan(0, 3 * inputs), target);
            results.Close(name + ".loss", new[] { lossSum }, OutputTolerance);
            results.Close(name + ".gradients", network.Gradients.ToArray(), GradientTolerance);

            const int Sequences = 3, BatchSteps = 4;
            float[] inputsBatch = Values(Sequences * BatchSteps * inputs, 0.23);
            float[] targets = Targets(Sequences, outputs, loss);
            float[] batch = new float[Sequences * outputs];
            network.ForwardBatch(inputsBatch, batch);
            results.Close(name + ".forwardBatch", batch, OutputTolerance);
            network.ZeroGradients();
            results.Close(name + ".backwardBatch.loss", new[] { network.BackwardBatch(inputsBatch, targets) }, OutputTolerance);
            results.Close(name + ".backwardBatch.gradients", network.Gradients.ToArray(), GradientTolerance);

            results.Allocations(name, "Forward", () => network.Forward(sequence, y));
            results.Allocations(name, "Step", () =>
            {
                TState fresh = default;
                network.Step(ref fresh, sequence.AsSpan(0, inputs), y);
            });
            results.Allocations(name, "Backward", () => network.Backward(sequence, target));
            results.Allocations(name, "ForwardBatch", () => network.ForwardBatch(inputsBatch, batch));
            results.Allocations(name, "BackwardBatch", () => network.BackwardBatch(inputsBatch, targets));
        }

        /// <summary>The frozen models: their compiled-in weights, and their outputs and classes for the 150 flowers.</summary>
        private static void Frozen(Results results)
        {
            Dataset flowers = Iris.Load();
            results.Exact("frozenIris.parameters", Hex(FrozenIris.Parameters.ToArray()));
            results.Exact("pytorchIris.parameters", Hex(PyTorchIris.Parameters.ToArray()));
            float[] standardized = flowers.FeatureValues.ToArray();
            FrozenIris.InputStandardizer.Apply(standardized);
            float[] outputs = new float[flowers.Count * FrozenIris.OutputCount];
            int[] classes = new int[flowers.Count];
            for (int i = 0; i < flowers.Count; i++)
            {
                FrozenIris.Forward(standardized.AsSpan(i * 4, 4), outputs.AsSpan(i * 3, 3));
                classes[i] = FrozenIris.Predict(standardized.AsSpan(i * 4, 4));
            }

            results.Close("frozenIris.outputs", outputs, OutputTolerance);
            results.Exact("frozenIris.classes", string.Join("", classes));
            PyTorchIris.ForwardBatch(standardized, outputs);
            PyTorchIris.PredictBatch(standardized, classes);
            results.Close("pytorchIris.outputs", outputs, OutputTolerance);
            results.Exact("pytorchIris.classes", string.Join("", classes));
            results.Allocations("frozenIris", "Forward", () => FrozenIris.Forward(standardized.AsSpan(0, 4), outputs.AsSpan(0, 3)));
            results.Allocations("pytorchIris", "PredictBatch", () => PyTorchIris.PredictBatch(standardized, classes));
        }

        /// <summary>Weight files and ONNX export: the same bytes from the same weights, and a weight file loads back.</summary>
        private static void Files(Results results)
        {
            var network = new IrisNet(3);
            Standardizer standardizer = Standardizer.Fit(Iris.Load());
            byte[] weights = WeightFile.Serialize(network, standardizer);
            results.Exact("iris.weightFile", Hex(weights));
            var loaded = new IrisNet(4);
            Standardizer? read = WeightFile.Load(loaded, weights);
            results.Require(loaded.Parameters.SequenceEqual(network.Parameters) && read is not null && read.Means.SequenceEqual(standardizer.Means), "a weight file did not load back the weights and standardizer it holds");
            results.Exact("iris.onnx", Hex(OnnxExporter.ToBytes(network)));
            results.Exact("gesture.onnx", Hex(OnnxExporter.ToBytes(new GestureNet(3))));
        }

        /// <summary>samples/Xor's training: Trainer, SGD, all four rows as one batch.</summary>
        private static void TrainXor(Results results)
        {
            var table = Dataset.FromRows(
                new[] { new float[] { 0, 0 }, new float[] { 0, 1 }, new float[] { 1, 0 }, new float[] { 1, 1 } },
                new[] { new float[] { 0 }, new float[] { 1 }, new float[] { 1 }, new float[] { 0 } });
            var network = new XorNet(1);
            var options = new TrainingOptions { Epochs = 2000, BatchSize = 4, Shuffle = false, MeasureTrainingAccuracy = false };
            TrainingHistory history = Trainer.Fit(network, new Sgd(XorNet.ParameterCount, 0.5), table, options);
            string predictions = string.Join("", Enumerable.Range(0, 4).Select(i => network.Predict(table.Features(i))));
            results.Exact("xor.trained.predictions", predictions);
            results.Note($"Xor: predictions {predictions} after {history.Count} epochs, final loss {history[history.Count - 1].TrainingLoss:0.00000}");
        }

        /// <summary>samples/Iris's experiment (stratified 70/30 split, standardised, SGD), here also on two threads.</summary>
        private static void TrainIris(Results results, int threads, int batchSize)
        {
            var random = new NetGenRandom(1);
            (Dataset train, Dataset test) = DataSplit.Stratified(Iris.Load(), 0.7, ref random);
            Standardizer standardizer = Standardizer.Fit(train);
            standardizer.Apply(train);
            standardizer.Apply(test);
            var network = new IrisNet(1);
            var options = new TrainingOptions { Epochs = 30, BatchSize = batchSize, Random = random, DegreeOfParallelism = threads };
            Trainer.Fit(network, new Sgd(IrisNet.ParameterCount, 0.05), train, options);
            EvaluationResult result = Evaluator.Evaluate(network, test);
            string key = $"iris.trained.threads{threads}.batch{batchSize}";
            results.Count(key, result.Confusion!.Correct, result.Confusion.Total);
            results.Note($"Iris ({threads} thread(s), batch {batchSize}): test accuracy {result.Confusion.Accuracy:0.0000} ({result.Confusion.Correct} of {result.Confusion.Total})");
        }

        private static float[] Values(int count, double step)
            => Enumerable.Range(0, count).Select(i => (float)Math.Sin((step * i) + 0.1)).ToArray();

        private static float[] Targets(int samples, int outputs, Loss loss)
        {
            float[] targets = new float[samples * outputs];
            for (int s = 0; s < samples; s++)
            {
                for (int o = 0; o < outputs; o++)
                {
                    targets[(s * outputs) + o] = loss switch
                    {
                        Loss.CrossEntropy => o == s % outputs ? 1 : 0,
                        Loss.BinaryCrossEntropy => (s + o) % 2,
                        _ => (float)Math.Cos(s + (0.5 * o)),
                    };
                }
            }

            return targets;
        }

        private static float Differences(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

        private static string Hex(float[] values) => string.Concat(values.Select(v => BitConverter.SingleToInt32Bits(v).ToString("X8", CultureInfo.InvariantCulture)));

        private static string Hex(byte[] bytes) => BitConverter.ToString(bytes).Replace("-", string.Empty);
    }

    /// <summary>samples/Iris's data file: a header line (count, features, class names), then four measurements and a label per flower.</summary>
    internal static class Iris
    {
        public static Dataset Load()
        {
            string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "iris.csv"));
            int count = lines.Length - 1;
            float[] features = new float[count * 4];
            int[] labels = new int[count];
            for (int row = 0; row < count; row++)
            {
                string[] fields = lines[row + 1].Split(',');
                for (int f = 0; f < 4; f++)
                {
                    features[(row * 4) + f] = float.Parse(fields[f], CultureInfo.InvariantCulture);
                }

                labels[row] = int.Parse(fields[4], CultureInfo.InvariantCulture);
            }

            return Dataset.FromLabels(features, 4, labels, 3);
        }
    }
}
