using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Protobuf;
using Xunit;

namespace K8sHost.UnitTests.Protobuf;

/// <summary>Every malformed protobuf body is a 400 BadRequest Status, never an exception the server turns into a 500.</summary>
public class ProtobufMalformedInputTests
{
    private static ApiError Fails(byte[] body) => Assert.Throws<ApiError>(() => ProtobufTranscoder.Default.DecodeEnvelope(body));

    private static byte[] WithMagic(params byte[] rest) => [.. "k8s\0"u8.ToArray(), .. rest];

    [Fact]
    public void BadMagic_Is400()
    {
        var e = Fails("{\"kind\":\"Namespace\"}"u8.ToArray());
        Assert.Equal(400, e.Code);
        Assert.Equal("BadRequest", e.Reason);
        Assert.Contains("k8s", e.Message);
    }

    [Fact]
    public void TruncatedVarint_Is400() => Assert.Equal(400, Fails(WithMagic(0x08, 0x80)).Code);

    [Fact]
    public void LengthPastTheEnd_Is400() => Assert.Equal(400, Fails(WithMagic(0x0A, 0x7F, 0x01)).Code);

    [Fact]
    public void GroupWireType_Is400() => Assert.Equal(400, Fails(WithMagic(0x0B)).Code);

    [Fact]
    public void FieldNumberZero_Is400() => Assert.Equal(400, Fails(WithMagic(0x02, 0x00)).Code);

    [Fact]
    public void WrongWireTypeForAKnownField_Is400()
    {
        // metadata.name (a string) sent as a varint.
        var meta = new ProtoBuilder().Int(1, 5);
        var e = Fails(ProtoBuilder.Envelope("v1", "Namespace", new ProtoBuilder().Msg(1, meta)));
        Assert.Equal(400, e.Code);
        Assert.Contains("wire type", e.Message);
    }

    [Fact]
    public void MissingKind_Is400() => Assert.Equal(400, Fails(ProtoBuilder.Envelope("v1", "", new ProtoBuilder())).Code);

    [Fact]
    public void UnknownKind_Is400_NamingIt()
    {
        var e = Fails(ProtoBuilder.Envelope("v1", "Gizmo", new ProtoBuilder()));
        Assert.Equal(400, e.Code);
        Assert.Contains("Gizmo", e.Message);
    }

    [Fact]
    public void CompressedContentEncoding_Is400()
    {
        var unknown = new ProtoBuilder().Msg(1, new ProtoBuilder().Str(1, "v1").Str(2, "Namespace")).Bytes(2, [1, 2]).Str(3, "gzip");
        Assert.Equal(400, Fails(WithMagic(unknown.ToArray())).Code);
    }

    [Fact]
    public void TimestampOutOfRange_Is400()
    {
        var meta = new ProtoBuilder().Str(1, "x").Msg(8, new ProtoBuilder().Int(1, long.MaxValue));
        Assert.Equal(400, Fails(ProtoBuilder.Envelope("v1", "Namespace", new ProtoBuilder().Msg(1, meta))).Code);
    }

    [Fact]
    public void InvalidEmbeddedJson_Is400()
    {
        var entry = new ProtoBuilder().Str(1, "m").Msg(7, new ProtoBuilder().Bytes(1, "{not json"u8.ToArray()));
        var cm = new ProtoBuilder().Msg(1, ProtoBuilder.ObjectMeta("cm").Msg(17, entry));
        Assert.Equal(400, Fails(ProtoBuilder.Envelope("v1", "ConfigMap", cm)).Code);
    }

    [Fact]
    public void RandomGarbageAfterMagic_NeverThrowsAnythingButApiError()
    {
        var rng = new Random(1234);
        for (var i = 0; i < 2000; i++)
        {
            var junk = new byte[rng.Next(0, 64)];
            rng.NextBytes(junk);
            try
            {
                ProtobufTranscoder.Default.DecodeEnvelope(WithMagic(junk));
            }
            catch (ApiError e)
            {
                Assert.Equal(400, e.Code);
            }
        }
    }

    [Fact]
    public void NestingDeeperThanTheLimit_Is400_NotAStackOverflow()
    {
        var transcoder = new ProtobufTranscoder(ProtoSchemaSet.Parse("package p v1\nkind Tree: 1 child Tree; 2 name string"));
        var inner = new ProtoBuilder().Str(2, "leaf");
        for (var i = 0; i < ProtobufTranscoder.MaxDepth + 5; i++) inner = new ProtoBuilder().Msg(1, inner);
        var e = Assert.Throws<ApiError>(() => transcoder.DecodeEnvelope(ProtoBuilder.Envelope("v1", "Tree", inner)));
        Assert.Equal(400, e.Code);

        var shallow = new ProtoBuilder().Msg(1, new ProtoBuilder().Str(2, "leaf"));
        Assert.Equal("leaf", (string?)transcoder.DecodeEnvelope(ProtoBuilder.Envelope("v1", "Tree", shallow))["child"]!["name"]);
    }
}
