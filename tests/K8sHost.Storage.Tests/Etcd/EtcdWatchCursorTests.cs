using K8sHost.Storage.Etcd;
using Xunit;

namespace K8sHost.Storage.Tests.Etcd;

/// <summary>The resume bookkeeping of the etcd watch, including revisions that hold several events (multi-key Txns).</summary>
public sealed class EtcdWatchCursorTests
{
    [Fact]
    public void FirstStream_StartsAfterTheRequestedRevision()
    {
        Assert.Equal(11, new EtcdWatchCursor(10).BeginStream());
    }

    [Fact]
    public void StreamBrokenInsideARevision_ResumesAtThatRevision_AndSkipsOnlyTheEventsAlreadyDelivered()
    {
        var cursor = new EtcdWatchCursor(10);
        cursor.BeginStream();
        Assert.True(cursor.Accept(11));
        Assert.True(cursor.Accept(12)); // first of three events of revision 12; then the stream breaks

        Assert.Equal(12, cursor.BeginStream());
        Assert.False(cursor.Accept(12)); // re-sent: already delivered
        Assert.True(cursor.Accept(12));
        Assert.True(cursor.Accept(12));
        Assert.True(cursor.Accept(13));
    }

    [Fact]
    public void StreamBrokenBetweenRevisions_ResumesAtTheLastRevision_AndDropsItsRepeat()
    {
        var cursor = new EtcdWatchCursor(10);
        cursor.BeginStream();
        Assert.True(cursor.Accept(11));

        Assert.Equal(11, cursor.BeginStream());
        Assert.False(cursor.Accept(11));
        Assert.True(cursor.Accept(12));
    }

    [Fact]
    public void Progress_MovesTheResumePointPastTheReportedRevision_AndIgnoresOlderReports()
    {
        var cursor = new EtcdWatchCursor(10);
        cursor.BeginStream();
        cursor.Accept(11);

        Assert.True(cursor.Progress(20));
        Assert.False(cursor.Progress(15));
        Assert.Equal(21, cursor.BeginStream());
    }
}
