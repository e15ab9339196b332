using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Protobuf;
using Xunit;

namespace K8sHost.UnitTests.Protobuf;

/// <summary>Objects encoded as kubectl and helm send them, decoded into the Kubernetes JSON shape.</summary>
public class ProtobufTranscoderTests
{
    private static JsonObject Decode(byte[] body) => ProtobufTranscoder.Default.DecodeEnvelope(body);

    private static void AssertJson(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}\nactual   {actual.ToJsonString()}");

    [Fact]
    public void Namespace_AsKubectlCreateSendsIt_DecodesWithoutEmptyGoFields()
    {
        var ns = new ProtoBuilder()
            .Msg(1, ProtoBuilder.ObjectMeta("team-a", labels: new Dictionary<string, string> { ["env"] = "dev" }))
            .Msg(2, new ProtoBuilder())
            .Msg(3, new ProtoBuilder().Str(1, ""));
        AssertJson("""
            {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-a","labels":{"env":"dev"}},"spec":{},"status":{}}
            """, Decode(ProtoBuilder.Envelope("v1", "Namespace", ns)));
    }

    [Fact]
    public void Secret_BinaryData_IsBase64OfTheExactBytes()
    {
        var every = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var secret = new ProtoBuilder()
            .Msg(1, ProtoBuilder.ObjectMeta("s1", "default"))
            .MapEntry(2, "bin", every)
            .MapEntry(2, "empty", Array.Empty<byte>())
            .MapEntry(4, "plain", "text")
            .Str(3, "Opaque");
        var json = Decode(ProtoBuilder.Envelope("v1", "Secret", secret));
        Assert.Equal(Convert.ToBase64String(every), (string?)json["data"]!["bin"]);
        Assert.Equal(every, Convert.FromBase64String((string)json["data"]!["bin"]!));
        Assert.Equal("", (string?)json["data"]!["empty"]);
        Assert.Equal("text", (string?)json["stringData"]!["plain"]);
        Assert.Equal("Opaque", (string?)json["type"]);
        Assert.Null(json["immutable"]);
    }

    [Fact]
    public void ConfigMap_PointerFalse_IsKept_AndBinaryDataIsBase64()
    {
        var cm = new ProtoBuilder()
            .Msg(1, ProtoBuilder.ObjectMeta("cm", "default"))
            .MapEntry(2, "k", "v")
            .MapEntry(3, "b", new byte[] { 0xff, 0x00 })
            .Bool(4, false);
        AssertJson("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"default"},
             "data":{"k":"v"},"binaryData":{"b":"/wA="},"immutable":false}
            """, Decode(ProtoBuilder.Envelope("v1", "ConfigMap", cm)));
    }

    [Fact]
    public void Service_IntAndStringTargetPorts_BecomeNumberAndString()
    {
        static ProtoBuilder Port(string name, int port, ProtoBuilder target) =>
            new ProtoBuilder().Str(1, name).Str(2, "TCP").Int(3, port).Msg(4, target).Int(5, 0);
        var spec = new ProtoBuilder()
            .Msg(1, Port("80-80", 80, new ProtoBuilder().Int(1, 0).Int(2, 80).Str(3, "")))
            .Msg(1, Port("web", 8080, new ProtoBuilder().Int(1, 1).Int(2, 0).Str(3, "http")))
            .MapEntry(2, "app", "web2")
            .Str(3, "")
            .Str(4, "ClusterIP")
            .Bool(13, false);
        var svc = new ProtoBuilder().Msg(1, ProtoBuilder.ObjectMeta("web2")).Msg(2, spec).Msg(3, new ProtoBuilder().Msg(1, new ProtoBuilder()));
        AssertJson("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web2"},
             "spec":{"ports":[{"name":"80-80","protocol":"TCP","port":80,"targetPort":80},
                              {"name":"web","protocol":"TCP","port":8080,"targetPort":"http"}],
                     "selector":{"app":"web2"},"type":"ClusterIP"},
             "status":{"loadBalancer":{}}}
            """, Decode(ProtoBuilder.Envelope("v1", "Service", svc)));
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("meta.k8s.io/v1")]
    [InlineData("apps/v1")]
    public void DeleteOptions_UnderAnyGroupVersion_KeepsZeroGracePeriod(string apiVersion)
    {
        var opts = new ProtoBuilder()
            .Int(1, 0)
            .Msg(2, new ProtoBuilder().Str(1, "uid-1"))
            .Str(4, "Background")
            .Str(5, "All");
        AssertJson($$"""
            {"apiVersion":"{{apiVersion}}","kind":"DeleteOptions","gracePeriodSeconds":0,"preconditions":{"uid":"uid-1"},
             "propagationPolicy":"Background","dryRun":["All"]}
            """, Decode(ProtoBuilder.Envelope(apiVersion, "DeleteOptions", opts)));
    }

    [Fact]
    public void SelfSubjectAccessReview_ResourceAttributes_Decode()
    {
        var attrs = new ProtoBuilder().Str(1, "default").Str(2, "get").Str(3, "").Str(4, "").Str(5, "pods").Str(6, "").Str(7, "");
        var ssar = new ProtoBuilder()
            .Msg(1, ProtoBuilder.ObjectMeta(""))
            .Msg(2, new ProtoBuilder().Msg(1, attrs))
            .Msg(3, new ProtoBuilder().Bool(1, false).Str(2, "").Str(3, "").Bool(4, false));
        AssertJson("""
            {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","metadata":{},
             "spec":{"resourceAttributes":{"namespace":"default","verb":"get","resource":"pods"}},
             "status":{"allowed":false}}
            """, Decode(ProtoBuilder.Envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", ssar)));
    }

    [Fact]
    public void SelfSubjectReview_WithExtra_DecodesUserInfoAndStringLists()
    {
        var user = new ProtoBuilder().Str(1, "admin").Str(2, "u1").Str(3, "system:masters").Str(3, "system:authenticated")
            .Msg(4, new ProtoBuilder().Str(1, "scopes").Msg(2, new ProtoBuilder().Str(1, "a").Str(1, "b")));
        var ssr = new ProtoBuilder().Msg(1, ProtoBuilder.ObjectMeta("")).Msg(2, new ProtoBuilder().Msg(1, user));
        AssertJson("""
            {"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview","metadata":{},
             "status":{"userInfo":{"username":"admin","uid":"u1","groups":["system:masters","system:authenticated"],
                                   "extra":{"scopes":["a","b"]}}}}
            """, Decode(ProtoBuilder.Envelope("authentication.k8s.io/v1", "SelfSubjectReview", ssr)));
    }

    private static ProtoBuilder RichPod()
    {
        var container = new ProtoBuilder()
            .Str(1, "app").Str(2, "nginx:1.27")
            .Msg(6, new ProtoBuilder().Str(1, "").Int(2, 0).Int(3, 80).Str(4, "TCP").Str(5, ""))
            .Msg(7, new ProtoBuilder().Str(1, "PASSWORD").Str(2, "")
                .Msg(3, new ProtoBuilder().Msg(4, new ProtoBuilder().Msg(1, new ProtoBuilder().Str(1, "db")).Str(2, "pw"))))
            .Msg(8, new ProtoBuilder().Msg(1, new ProtoBuilder().Str(1, "memory").Msg(2, new ProtoBuilder().Str(1, "128Mi"))))
            .Msg(10, new ProtoBuilder()
                .Msg(1, new ProtoBuilder().Msg(2, new ProtoBuilder().Str(1, "/healthz").Msg(2, new ProtoBuilder().Int(1, 0).Int(2, 8080)).Str(3, "").Str(4, "HTTP")))
                .Int(2, 5).Int(3, 1).Int(4, 10).Int(5, 1).Int(6, 3))
            .Msg(15, new ProtoBuilder().Int(4, 0).Bool(7, false))
            .Bool(16, false).Bool(17, false).Bool(18, false);
        var volume = new ProtoBuilder().Str(1, "cfg")
            .Msg(2, new ProtoBuilder().Msg(19, new ProtoBuilder().Msg(1, new ProtoBuilder().Str(1, "app-config")).Int(3, 420)));
        var spec = new ProtoBuilder()
            .Msg(1, volume)
            .Msg(2, container)
            .Str(3, "Always")
            .Int(4, 0)
            .Str(6, "ClusterFirst")
            .Bool(11, false)
            .Msg(34, new ProtoBuilder().Msg(1, new ProtoBuilder().Str(1, "debug").Str(2, "busybox")).Str(2, "app"));
        return new ProtoBuilder().Msg(1, ProtoBuilder.ObjectMeta("web", "default")).Msg(2, spec).Msg(3, new ProtoBuilder());
    }

    [Fact]
    public void Pod_InlineStructsAndPointers_MatchTheJsonShape()
    {
        var pod = RichPod();
        AssertJson("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default"},
             "spec":{"volumes":[{"name":"cfg","configMap":{"name":"app-config","defaultMode":420}}],
                     "containers":[{"name":"app","image":"nginx:1.27",
                                    "ports":[{"containerPort":80,"protocol":"TCP"}],
                                    "env":[{"name":"PASSWORD","valueFrom":{"secretKeyRef":{"name":"db","key":"pw"}}}],
                                    "resources":{"limits":{"memory":"128Mi"}},
                                    "livenessProbe":{"httpGet":{"path":"/healthz","port":8080,"scheme":"HTTP"},
                                                     "initialDelaySeconds":5,"timeoutSeconds":1,"periodSeconds":10,
                                                     "successThreshold":1,"failureThreshold":3},
                                    "securityContext":{"runAsUser":0,"allowPrivilegeEscalation":false}}],
                     "ephemeralContainers":[{"name":"debug","image":"busybox","targetContainerName":"app"}],
                     "restartPolicy":"Always","terminationGracePeriodSeconds":0,"dnsPolicy":"ClusterFirst"},
             "status":{}}
            """, Decode(ProtoBuilder.Envelope("v1", "Pod", pod)));
    }

    [Fact]
    public void Times_FormatAsRfc3339_SecondsForTime_MicrosecondsForMicroTime()
    {
        var meta = new ProtoBuilder().Str(1, "lease").Msg(8, new ProtoBuilder().Int(1, 1_800_000_000).Int(2, 123_456_789));
        var spec = new ProtoBuilder().Str(1, "node-1").Int(2, 40)
            .Msg(4, new ProtoBuilder().Int(1, 1_800_000_000).Int(2, 123_456_789))
            .Int(5, 0);
        var json = Decode(ProtoBuilder.Envelope("coordination.k8s.io/v1", "Lease", new ProtoBuilder().Msg(1, meta).Msg(2, spec)));
        Assert.Equal("2027-01-15T08:00:00Z", (string?)json["metadata"]!["creationTimestamp"]);
        Assert.Equal("2027-01-15T08:00:00.123456Z", (string?)json["spec"]!["renewTime"]);
        Assert.Equal(0, (int)json["spec"]!["leaseTransitions"]!);
    }

    [Fact]
    public void RepeatedInt64_PackedAndUnpacked_BothDecode()
    {
        // Kubernetes writes repeated scalars unpacked (one tag each); packed (one length-delimited run of varints) is
        // equally valid wire format. 1000 and 2000 as varints: E8 07, D0 0F.
        var sc = new ProtoBuilder().Int(4, 5).Bytes(4, [0xE8, 0x07, 0xD0, 0x0F]);
        var pod = new ProtoBuilder().Msg(1, ProtoBuilder.ObjectMeta("p")).Msg(2, new ProtoBuilder().Msg(14, sc));
        var json = Decode(ProtoBuilder.Envelope("v1", "Pod", pod));
        AssertJson("[5,1000,2000]", json["spec"]!["securityContext"]!["supplementalGroups"]!);
    }

    [Fact]
    public void UnknownFieldNumbers_AreSkipped_OfEveryWireType()
    {
        var meta = ProtoBuilder.ObjectMeta("x").Str(999, "future").Int(998, 7).Fixed32(997, 1);
        var ns = new ProtoBuilder().Msg(1, meta).Msg(42, new ProtoBuilder().Str(1, "ignored"));
        AssertJson("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"}}""", Decode(ProtoBuilder.Envelope("v1", "Namespace", ns)));
    }

    [Fact]
    public void ManagedFields_FieldsV1_IsEmbeddedJson()
    {
        var entry = new ProtoBuilder().Str(1, "kubectl").Str(2, "Update").Str(3, "v1").Str(6, "FieldsV1")
            .Msg(7, new ProtoBuilder().Bytes(1, "{\"f:data\":{}}"u8.ToArray()));
        var cm = new ProtoBuilder().Msg(1, ProtoBuilder.ObjectMeta("cm").Msg(17, entry));
        var json = Decode(ProtoBuilder.Envelope("v1", "ConfigMap", cm));
        AssertJson("""[{"manager":"kubectl","operation":"Update","apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{"f:data":{}}}]""",
            json["metadata"]!["managedFields"]!);
    }

    [Fact]
    public void DecodedPod_RoundTripsThroughTheTypedModel_WithoutLosingAField()
    {
        // A JSON name the model does not know would be dropped by the typed round trip and show up as a difference.
        var json = Decode(ProtoBuilder.Envelope("v1", "Pod", RichPod()));
        var typed = k8s.KubernetesJson.Deserialize<k8s.Models.V1Pod>(json.ToJsonString());
        AssertJson(json.ToJsonString(), JsonNode.Parse(k8s.KubernetesJson.Serialize(typed))!);
    }
}
