using K8sHost.ApiMachinery.Time;
using Xunit;

namespace K8sHost.UnitTests.ApiMachinery;

public class KubeTimeTests
{
    [Theory]
    [InlineData(-5, "<invalid>")]
    [InlineData(-1, "0s")]
    [InlineData(0, "0s")]
    [InlineData(5, "5s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(330, "5m30s")]
    [InlineData(599, "9m59s")]
    [InlineData(600, "10m")]
    [InlineData(59 * 60, "59m")]
    [InlineData(179 * 60, "179m")]
    [InlineData(3 * 3600, "3h")]
    [InlineData(3 * 3600 + 20 * 60, "3h20m")]
    [InlineData(8 * 3600, "8h")]
    [InlineData(47 * 3600, "47h")]
    [InlineData(48 * 3600, "2d")]
    [InlineData(7 * 86400 + 2 * 3600, "7d2h")]
    [InlineData(90 * 86400, "90d")]
    [InlineData(729 * 86400, "729d")]
    [InlineData(730 * 86400, "2y")]
    [InlineData((3 * 365 + 120) * 86400L, "3y120d")]
    [InlineData(10 * 365 * 86400L, "10y")]
    public void HumanDuration_MatchesApimachinery(long seconds, string expected) =>
        Assert.Equal(expected, KubeTime.HumanDuration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Format_WritesUtcSecondsPrecision()
    {
        var t = new DateTimeOffset(2026, 11, 25, 9, 0, 0, 123, TimeSpan.FromHours(1));
        Assert.Equal("2026-11-25T08:00:00Z", KubeTime.Format(t));
    }

    [Theory]
    [InlineData("2026-11-25T08:00:00Z", true)]
    [InlineData("2026-11-25T08:00:00.123456Z", true)]
    [InlineData("2026-11-25T09:00:00+01:00", true)]
    [InlineData("2026-11-25", false)]
    [InlineData("yesterday", false)]
    public void TryParse_AcceptsRfc3339Only(string text, bool ok) => Assert.Equal(ok, KubeTime.TryParse(text, out _));

    [Fact]
    public void TryParse_ConvertsOffsetsToUtc()
    {
        Assert.True(KubeTime.TryParse("2026-11-25T09:00:00+01:00", out var t));
        Assert.Equal("2026-11-25T08:00:00Z", KubeTime.Format(t));
    }
}
