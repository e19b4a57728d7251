using System;
using System.IO;
using NetGen.Samples.Classify;
using NetGen.Serialization;

// classify [--model FILE] [SL SW PL PW]   one flower from the arguments, else one per line of standard input
// classify train FILE [DATA.csv]           train the model (fixed seed) and save it to FILE
const string Usage = """
    usage: classify [--model FILE] [SEPAL_LENGTH SEPAL_WIDTH PETAL_LENGTH PETAL_WIDTH]
             Classifies one iris flower from four measurements in cm, or else every line of standard input
             (four numbers separated by commas or spaces), printing the class and its probability.
             FILE defaults to iris.ngw next to the program.
           classify train FILE [DATA]
             Trains the model with a fixed seed on DATA (default: Data/iris.csv next to the program) and saves it.
    """;

try
{
    return args is ["train", string output, ..] && args.Length <= 3
        ? Train(output, args.Length == 3 ? args[2] : Path.Combine(AppContext.BaseDirectory, "Data", "iris.csv"))
        : Classify(args);
}
catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or WeightFileException)
{
    Console.Error.WriteLine($"classify: {exception.Message}");
    return 1;
}

static int Train(string output, string data)
{
    TrainedModel model = Training.Run(data);
    WeightFile.SaveFile(model.Network, output, model.Standardizer);
    Console.WriteLine($"Test accuracy {model.TestCorrect} of {model.TestCount}; saved {output} ({new FileInfo(output).Length} bytes)");
    return 0;
}

static int Classify(string[] args)
{
    string model = Path.Combine(AppContext.BaseDirectory, "iris.ngw");
    if (args is ["--model", string path, ..])
    {
        model = path;
        args = args[2..];
    }

    Span<float> measurements = stackalloc float[IrisModel.InputCount];
    if (args.Length > 0)
    {
        if (!Classifier.TryParse(string.Join(' ', args), measurements))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        Console.WriteLine(Classifier.Format(new Classifier(model).Classify(measurements)));
        return 0;
    }

    var classifier = new Classifier(model);
    int status = 0;
    int lineNumber = 0;
    while (Console.In.ReadLine() is { } line)
    {
        lineNumber++;
        if (line.Length == 0 || line.StartsWith('#'))
        {
            continue;
        }

        if (Classifier.TryParse(line, measurements))
        {
            Console.WriteLine(Classifier.Format(classifier.Classify(measurements)));
        }
        else
        {
            Console.Error.WriteLine($"classify: line {lineNumber}: expected four numbers, got '{line}'");
            status = 1;
        }
    }

    return status;
}
