using K8sHost.Server.Options;

namespace K8sHost.Api.Tests.Host;

/// <summary>
/// The flag parser against kube-apiserver's (pflag) rules. A table of the test's own exercises the value types the
/// server's table does not use yet (booleans, durations).
/// </summary>
public sealed class CommandLineParsingTests
{
    public sealed class SampleOptions
    {
        public int Port { get; set; } = 6443;
        public bool Enabled { get; set; } = true;
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(1);
        public string Name { get; set; } = "x";
    }

    private static readonly Flag[] Sample =
    [
        Flag.Of<SampleOptions>("--port", nameof(SampleOptions.Port), FlagGroup.SecureServing, "port"),
        Flag.Of<SampleOptions>("--enabled", nameof(SampleOptions.Enabled), FlagGroup.Authentication, "on or off"),
        Flag.Of<SampleOptions>("--timeout", nameof(SampleOptions.Timeout), FlagGroup.Generic, "how long"),
        Flag.Of<SampleOptions>("--name", nameof(SampleOptions.Name), FlagGroup.Generic, "a name", shorthand: "-n"),
    ];

    private static string? Setting(CommandLine c, string property) => c.Settings.GetValueOrDefault("Server:" + property);

    [Theory]
    [InlineData("--port", "7443")]
    [InlineData("--port=7443")]
    public void ValueAfterSpace_AndValueAfterEquals_SetTheSameKey(params string[] args) =>
        Assert.Equal("7443", Setting(CommandLine.Parse(args, Sample), "Port"));

    [Theory]
    [InlineData("true", "--enabled")]
    [InlineData("false", "--enabled=false")]
    [InlineData("true", "--enabled=true")]
    [InlineData("false", "--enabled=0")]
    public void BooleanFlag_AloneMeansTrue_AndTakesAValueOnlyAfterEquals(string expected, params string[] args) =>
        Assert.Equal(expected, Setting(CommandLine.Parse(args, Sample), "Enabled"));

    [Fact]
    public void BooleanFlag_DoesNotConsumeTheNextWord()
    {
        var e = Assert.Throws<InvalidOptionsException>(() => CommandLine.Parse(["--enabled", "false"], Sample));
        Assert.Equal("\"k8shost\" does not take any arguments, got [\"false\"]", e.Message);
    }

    [Theory]
    [InlineData("-n", "a")]
    [InlineData("-n=a")]
    [InlineData("-na")]
    [InlineData("--name", "a")]
    public void Shorthand_TakesItsValueAfterASpaceAnEqualsSignOrAttached(params string[] args) =>
        Assert.Equal("a", Setting(CommandLine.Parse(args, Sample), "Name"));

    [Theory]
    [InlineData("00:01:30", "1m30s")]
    [InlineData("00:00:00.5000000", "500ms")]
    [InlineData("01:00:00", "1h")]
    [InlineData("00:00:10", "00:00:10")]
    public void DurationFlag_AcceptsKubeApiserverDurations(string expected, string value) =>
        Assert.Equal(expected, Setting(CommandLine.Parse(["--timeout", value], Sample), "Timeout"));

    [Theory]
    [InlineData("unknown flag: --bogus-flag (see --help)", "--bogus-flag", "1")]
    [InlineData("unknown flag: --etcd-server (see --help)", "--etcd-server=http://127.0.0.1:2379")]
    [InlineData("unknown shorthand flag: 'x' in -x (see --help)", "-x")]
    [InlineData("\"k8shost\" does not take any arguments, got [\"snapshot\"]", "snapshot")]
    [InlineData("\"k8shost\" does not take any arguments, got [\"a\" \"b\"]", "--", "a", "b")]
    [InlineData("flag needs an argument: --secure-port", "--secure-port")]
    [InlineData("invalid argument \"abc\" for \"--secure-port\" flag: expected an integer", "--secure-port", "abc")]
    public void RefusedCommandLine_SaysWhatIsWrongInOneLine(string message, params string[] args)
    {
        var e = Assert.Throws<InvalidOptionsException>(() => CommandLine.Parse(args));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void ServerFlags_MapOntoServerKeys_AndEveryExistingFlagStillParses()
    {
        var c = CommandLine.Parse(["--data-dir", "/d", "--bind-address=0.0.0.0", "--secure-port", "1", "--write-kubeconfig", "/k",
            "--token-auth-file", "/t", "--tls-cert-file", "/c", "--tls-private-key-file", "/p", "--service-cluster-ip-range", "10.0.0.0/24",
            "--service-node-port-range", "30000-30010", "--storage", "sqlite://", "--etcd-servers", "http://e:2379",
            "--shutdown-delay-seconds", "3", "--logging-format", "json", "-v", "4"]);
        Assert.Equal("/d", Setting(c, "DataDir"));
        Assert.Equal("10.0.0.0/24", Setting(c, "ServiceClusterIpRange"));
        Assert.Equal("json", Setting(c, "LoggingFormat"));
        Assert.Equal("4", Setting(c, "Verbosity"));
        Assert.Equal(14, c.Settings.Count);
        Assert.False(c.Help);
    }

    [Fact]
    public void FlagsTable_HasUniqueNames_AndEachSettingHasItsEnvironmentVariable()
    {
        Assert.Equal(ServerFlags.All.Count, ServerFlags.All.Select(f => f.Name).Distinct().Count());
        Assert.All(ServerFlags.All.Where(f => f.Kind == FlagKind.Setting), f =>
            Assert.Equal(f.Key.Replace(":", "__", StringComparison.Ordinal), f.EnvironmentVariable));
        Assert.True(CommandLine.Parse(["-h"]).Help);
        Assert.True(CommandLine.Parse(["--version"]).Version);
    }
}
