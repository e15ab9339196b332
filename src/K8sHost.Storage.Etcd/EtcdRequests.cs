using Google.Protobuf;
using K8sHost.Storage.Etcd.Protocol;

namespace K8sHost.Storage.Etcd;

/// <summary>Builders for the etcd requests the store sends (keeps EtcdStore about semantics, not protobuf).</summary>
internal static class EtcdRequests
{
    public static RangeRequest GetKey(ByteString key) => new() { Key = key };

    public static RequestOp Read(ByteString key) => new() { RequestRange = GetKey(key) };

    public static RequestOp Put(ByteString key, ReadOnlyMemory<byte> value) =>
        new() { RequestPut = new PutRequest { Key = key, Value = ByteString.CopyFrom(value.Span) } };

    public static RequestOp Delete(ByteString key) =>
        new() { RequestDeleteRange = new DeleteRangeRequest { Key = key, PrevKv = true } };

    /// <summary>create_revision == 0 means "the key does not exist".</summary>
    public static Compare Absent(ByteString key) =>
        new() { Key = key, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 };

    public static Compare Present(ByteString key) =>
        new() { Key = key, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Greater, CreateRevision = 0 };

    public static Compare ModRevisionIs(ByteString key, long revision) =>
        new() { Key = key, Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = revision };

    /// <summary>The key read by a Txn's failure branch (null when absent).</summary>
    public static Protocol.KeyValue? ReadBack(TxnResponse response) =>
        response.Responses.Count > 0 && response.Responses[0].ResponseRange is { Kvs.Count: > 0 } range ? range.Kvs[0] : null;
}
