using System.Text.Json.Nodes;
using k8s.Models;
using K8sHost.ApiMachinery;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Schema;
using Xunit;

namespace K8sHost.UnitTests.ApiMachinery;

public class SchemaNormalizerTests
{
    private static JsonObject J(string s) => JsonNode.Parse(s)!.AsObject();

    private const string PodWithBogus = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","bogusMeta":1},
         "spec":{"containers":[{"name":"nginx","image":"nginx","bogusField":true}],"foo":"x"}}
        """;

    [Fact]
    public void Normalize_ValidPod_IsUnchanged()
    {
        var text = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","labels":{"a":"b"},"managedFields":[{"manager":"kubectl","operation":"Update","fieldsV1":{"f:metadata":{}}}]},"spec":{"containers":[{"name":"nginx","image":"nginx","ports":[{"containerPort":80}],"resources":{"limits":{"cpu":"500m"}}}]}}""";
        var pod = J(text);
        var warnings = new List<string>();
        SchemaNormalizer.Normalize(pod, typeof(V1Pod), FieldValidation.Strict, warnings);
        Assert.Equal(J(text).ToJsonString(), pod.ToJsonString());
        Assert.Empty(warnings);
    }

    [Fact]
    public void Normalize_UnknownFieldsStrict_Returns400ListingAll()
    {
        var ex = Assert.Throws<ApiError>(() => SchemaNormalizer.Normalize(J(PodWithBogus), typeof(V1Pod), FieldValidation.Strict, new List<string>()));
        Assert.Equal(400, ex.Code);
        Assert.Equal("strict decoding error: unknown field \"metadata.bogusMeta\", unknown field \"spec.containers[0].bogusField\", unknown field \"spec.foo\"", ex.Message);
    }

    [Fact]
    public void Normalize_WithKind_PrefixesDecodeErrorsLikeApiserver()
    {
        var ex = Assert.Throws<ApiError>(() => SchemaNormalizer.Normalize(J("""{"spec":{"foo":1}}"""), typeof(V1Pod), "Pod", "v1", FieldValidation.Strict, new List<string>()));
        Assert.Equal("Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.foo\"", ex.Message);
    }

    [Fact]
    public void Normalize_UnknownFieldsWarn_PrunesAndWarns()
    {
        var pod = J(PodWithBogus);
        var warnings = new List<string>();
        SchemaNormalizer.Normalize(pod, typeof(V1Pod), FieldValidation.Warn, warnings);
        Assert.Equal(["unknown field \"metadata.bogusMeta\"", "unknown field \"spec.containers[0].bogusField\"", "unknown field \"spec.foo\""], warnings);
        Assert.Null(pod["spec"]!["foo"]);
        Assert.False(pod["spec"]!["containers"]![0]!.AsObject().ContainsKey("bogusField"));
    }

    [Fact]
    public void Normalize_UnknownFieldsIgnore_PrunesSilently()
    {
        var pod = J(PodWithBogus);
        var warnings = new List<string>();
        SchemaNormalizer.Normalize(pod, typeof(V1Pod), FieldValidation.Ignore, warnings);
        Assert.Empty(warnings);
        Assert.False(pod["metadata"]!.AsObject().ContainsKey("bogusMeta"));
    }

    [Theory]
    [InlineData("""{"spec":{"containers":"nginx"}}""", "json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container")]
    [InlineData("""{"spec":"x"}""", "json: cannot unmarshal string into Go struct field Pod.spec of type v1.PodSpec")]
    [InlineData("""{"spec":{"containers":[{"name":1}]}}""", "json: cannot unmarshal number 1 into Go struct field Container.spec.containers.name of type string")]
    [InlineData("""{"spec":{"hostNetwork":"yes"}}""", "json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool")]
    [InlineData("""{"spec":{"terminationGracePeriodSeconds":1.5}}""", "json: cannot unmarshal number 1.5 into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64")]
    [InlineData("""{"spec":{"priority":1.0}}""", "json: cannot unmarshal number 1.0 into Go struct field PodSpec.spec.priority of type int32")]
    [InlineData("""{"spec":{"nodeSelector":["a"]}}""", "json: cannot unmarshal array into Go struct field PodSpec.spec.nodeSelector of type map[string]string")]
    [InlineData("""{"spec":{"containers":[{"name":"a","ports":[{"containerPort":3000000000}]}]}}""", "json: cannot unmarshal number 3000000000 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32")]
    public void Normalize_TypeMismatch_Returns400EvenWhenIgnoring(string body, string message)
    {
        var ex = Assert.Throws<ApiError>(() => SchemaNormalizer.Normalize(J(body), typeof(V1Pod), FieldValidation.Ignore, new List<string>()));
        Assert.Equal(400, ex.Code);
        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData("""{"spec":{"ports":[{"port":80,"targetPort":8080}]}}""")]
    [InlineData("""{"spec":{"ports":[{"port":80,"targetPort":"http"}]}}""")]
    public void Normalize_IntOrString_AcceptsBoth(string body) =>
        SchemaNormalizer.Normalize(J(body), typeof(V1Service), FieldValidation.Strict, new List<string>());

    [Fact]
    public void Normalize_IntOrStringObject_Returns400()
    {
        var ex = Assert.Throws<ApiError>(() => SchemaNormalizer.Normalize(J("""{"spec":{"ports":[{"port":80,"targetPort":{}}]}}"""), typeof(V1Service), FieldValidation.Strict, new List<string>()));
        Assert.Contains("intstr.IntOrString", ex.Message);
    }

    [Fact]
    public void Normalize_NumericQuantity_BecomesString()
    {
        var pod = J("""{"spec":{"containers":[{"name":"a","resources":{"limits":{"cpu":2,"memory":"1Gi"}}}]}}""");
        SchemaNormalizer.Normalize(pod, typeof(V1Pod), FieldValidation.Strict, new List<string>());
        Assert.Equal("2", (string?)pod["spec"]!["containers"]![0]!["resources"]!["limits"]!["cpu"]);
    }

    [Theory]
    [InlineData("\"1Gx\"")]
    [InlineData("\"abc\"")]
    [InlineData("true")]
    public void Normalize_BadQuantity_Returns400(string q)
    {
        var body = J("""{"spec":{"containers":[{"name":"a","resources":{"limits":{"cpu":Q}}}]}}""".Replace("Q", q));
        var ex = Assert.Throws<ApiError>(() => SchemaNormalizer.Normalize(body, typeof(V1Pod), FieldValidation.Strict, new List<string>()));
        Assert.Equal(400, ex.Code);
    }

    [Fact]
    public void Normalize_SecretData_ValidatesBase64()
    {
        SchemaNormalizer.Normalize(J("""{"data":{"k":"aGVsbG8="}}"""), typeof(V1Secret), FieldValidation.Strict, new List<string>());
        var ex = Assert.Throws<ApiError>(() => SchemaNormalizer.Normalize(J("""{"data":{"k":"hello!"}}"""), typeof(V1Secret), FieldValidation.Strict, new List<string>()));
        Assert.Equal("illegal base64 data at input byte 5", ex.Message);
    }

    [Fact]
    public void Normalize_Timestamp_MustBeRfc3339()
    {
        SchemaNormalizer.Normalize(J("""{"metadata":{"creationTimestamp":"2026-11-25T08:00:00Z"}}"""), typeof(V1Pod), FieldValidation.Strict, new List<string>());
        var ex = Assert.Throws<ApiError>(() => SchemaNormalizer.Normalize(J("""{"metadata":{"creationTimestamp":"yesterday"}}"""), typeof(V1Pod), FieldValidation.Strict, new List<string>()));
        Assert.Equal(400, ex.Code);
    }

    [Fact]
    public void Normalize_NullFields_AreRemoved()
    {
        var pod = J("""{"metadata":{"name":"a","labels":null},"status":null}""");
        SchemaNormalizer.Normalize(pod, typeof(V1Pod), FieldValidation.Strict, new List<string>());
        Assert.Equal("""{"metadata":{"name":"a"}}""", pod.ToJsonString());
    }

    [Fact]
    public void Normalize_NullInStringMapOrList_BecomesEmptyStringLikeGo()
    {
        var pod = J("""{"metadata":{"name":"a","labels":{"x":null},"finalizers":[null]}}""");
        SchemaNormalizer.Normalize(pod, typeof(V1Pod), FieldValidation.Strict, new List<string>());
        Assert.Equal("""{"metadata":{"name":"a","labels":{"x":""},"finalizers":[""]}}""", pod.ToJsonString());
    }

    [Fact]
    public void Normalize_ObjectTypedField_AcceptsAnythingWithoutPruning()
    {
        var text = """{"metadata":{"managedFields":[{"manager":"m","operation":"Apply","fieldsV1":{"f:spec":{"anything":[1,{"x":null}]}}}]}}""";
        var pod = J(text);
        SchemaNormalizer.Normalize(pod, typeof(V1Pod), FieldValidation.Strict, new List<string>());
        Assert.Equal(J(text).ToJsonString(), pod.ToJsonString());
    }

    [Fact]
    public void Normalize_UnknownFieldInsideMapOfObjects_IsReported()
    {
        var crd = J("""{"spec":{"versions":[{"name":"v1","schema":{"openAPIV3Schema":{"type":"object","properties":{"a":{"type":"string","bogus":1}}}}}]}}""");
        var ex = Assert.Throws<ApiError>(() => SchemaNormalizer.Normalize(crd, typeof(V1CustomResourceDefinition), FieldValidation.Strict, new List<string>()));
        Assert.Contains("unknown field \"spec.versions[0].schema.openAPIV3Schema.properties.a.bogus\"", ex.Message);
    }

    [Fact]
    public void GetFieldType_WalksByJsonName()
    {
        Assert.Equal(typeof(V1PodSpec), SchemaNormalizer.GetFieldType(typeof(V1Pod), "spec"));
        Assert.Equal(typeof(V1ObjectMeta), SchemaNormalizer.GetFieldType(typeof(V1Pod), "metadata"));
        Assert.Null(SchemaNormalizer.GetFieldType(typeof(V1Pod), "bogus"));
        var containers = SchemaNormalizer.GetSchema(typeof(V1PodSpec)).Field("containers")!;
        Assert.Equal(SchemaKind.List, containers.Kind);
        Assert.Equal(typeof(V1Container), containers.Element!.ClrType);
    }
}
