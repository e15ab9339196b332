using K8sHost.ApiMachinery.Protobuf;
using K8sHost.Resources;
using Xunit;

namespace K8sHost.UnitTests.Protobuf;

public class ProtoSchemaSetTests
{
    [Fact]
    public void EveryServedKind_HasAMessageTable()
    {
        var schema = ProtobufTranscoder.Default.Schema;
        foreach (var d in BuiltInKinds.All())
            Assert.True(schema.FindKind(d.ApiVersion, d.Kind) is not null, $"no protobuf table for {d.ApiVersion} {d.Kind}");
    }

    [Theory]
    [InlineData("policy/v1", "Eviction")]
    [InlineData("v1", "DeleteOptions")]
    [InlineData("authorization.k8s.io/v1", "SelfSubjectAccessReview")]
    [InlineData("authorization.k8s.io/v1", "SelfSubjectRulesReview")]
    [InlineData("authentication.k8s.io/v1", "SelfSubjectReview")]
    public void RequestOnlyKinds_HaveTables(string apiVersion, string kind) =>
        Assert.NotNull(ProtobufTranscoder.Default.Schema.FindKind(apiVersion, kind));

    [Fact]
    public void Parse_ReadsKindsInlineAndPointerMarks()
    {
        var set = ProtoSchemaSet.Parse("""
            package demo demo.example.com/v1
            kind Widget: 1 ^base Base; 2 count int32*;
              3 tags []string; 4 labels map<string>
            Base: 1 name string
            """);
        var widget = set.FindKind("demo.example.com/v1", "Widget")!;
        Assert.True(widget.Fields[1].Inline);
        Assert.True(widget.Fields[2].KeepZero);
        Assert.Equal(FieldShape.Repeated, widget.Fields[3].Shape);
        Assert.Equal(FieldShape.Map, widget.Fields[4].Shape);
        Assert.Equal("demo.Base", widget.Fields[1].MessageName);
    }

    [Theory]
    [InlineData("package p v1\nA: 1 x Missing")]
    [InlineData("package p v1\nA: 1 x string; 1 y string")]
    [InlineData("package p v1\nA: one x string")]
    [InlineData("A: 1 x string")]
    [InlineData("package p v1\nA: 1 ^x string")]
    public void Parse_BadTables_FailWithFormatException(string text) =>
        Assert.Throws<FormatException>(() => ProtoSchemaSet.Parse(text));
}
