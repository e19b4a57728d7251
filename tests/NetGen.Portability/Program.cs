// The benchmark suite's portability mode (tests/NetGen.Benchmarks/Portability/PortabilityRun.cs, linked), as a program
// that also publishes with Native AOT. Options: see PortabilityRun.Run.
return NetGen.Benchmarks.Portability.PortabilityRun.Run(args);
