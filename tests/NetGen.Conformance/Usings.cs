global using System;
global using NetGen.Conformance;
