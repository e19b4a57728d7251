global using System;
global using Xunit;
