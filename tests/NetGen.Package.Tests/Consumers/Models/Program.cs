// A project that lists model files as AdditionalFiles (PackageConsumerTests checks what the package's build step
// makes of them); it declares no network, so no model file is read by the generator.
System.Console.WriteLine("models");
