// The boot stage runs on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
