using NetGen;

// Built with LangVersion 10 (PackageConsumerTests): each network gets one NG0013 at its [Network] attribute, and the
// generator writes no code that could fail to compile.
System.Console.WriteLine(typeof(First).Name + typeof(Second).Name);

[Network(2)]
[Dense(1)]
public partial class First { }

[Network(3, Loss = Loss.CrossEntropy)]
[Dense(4, Activation.ReLU)]
[Dense(2, Activation.Softmax)]
public partial class Second { }
