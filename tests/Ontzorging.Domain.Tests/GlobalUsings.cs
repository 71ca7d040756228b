global using FluentAssertions;
global using NodaTime;
global using NUnit.Framework;
global using Ontzorging.Domain;
