// A .NET Standard 2.0 library (PackageConsumerTests): NuGet refuses the NetGen package before anything compiles.
public class Library { }
