// A project that lists model files as AdditionalFiles (PackageConsumerTests checks what the package's build step
// makes of them) and declares a frozen network from one of them: net.onnx, a PyTorch export. It prints the network's
// architecture and its outputs for the input in input.txt.
using System.Globalization;
using System.IO;
using System.Linq;
using NetGen;

float[] input = File.ReadAllText("input.txt").Split(' ').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
float[] output = new float[FrozenNet.OutputCount];
FrozenNet.Forward(input, output);
System.Console.WriteLine(FrozenNet.Architecture);
System.Console.WriteLine(string.Join(" ", output.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));

[OnnxNetwork("net.onnx")]
internal static partial class FrozenNet { }
