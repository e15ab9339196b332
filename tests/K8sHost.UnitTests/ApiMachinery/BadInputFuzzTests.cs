using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using K8sHost.ApiMachinery;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Json;
using K8sHost.ApiMachinery.Patch;
using K8sHost.ApiMachinery.Schema;
using K8sHost.ApiMachinery.Selectors;
using Xunit;

namespace K8sHost.UnitTests.ApiMachinery;

/// <summary>
/// Mutates valid inputs at random (fixed seed, so failures reproduce) and checks that every entry point either
/// succeeds or throws ApiError: bad input must become a Status, never an unexpected exception (a 500).
/// </summary>
public class BadInputFuzzTests
{
    private const int Rounds = 250;

    private const string Pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","labels":{"app":"web"},"finalizers":["a"]},
         "spec":{"containers":[{"name":"nginx","image":"nginx","ports":[{"containerPort":80}],"env":[{"name":"A","value":"1"}],
         "resources":{"limits":{"cpu":"500m"}}}],"volumes":[{"name":"v","emptyDir":{}}]}}
        """;

    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", ",", ":", "\"", "null", "1e999", "-", "\\", "$patch", "\"$patch\":\"delete\"", "\"$retainKeys\":[1]",
        "\"$setElementOrder/containers\":{}", "\"$deleteFromPrimitiveList/finalizers\":\"x\"", "true", "\"name\":null", "0.5", "\u00e9",
    ];

    private static string Mutate(Random rng, string text)
    {
        var sb = new StringBuilder(text);
        for (var n = rng.Next(1, 4); n > 0; n--)
        {
            var at = rng.Next(sb.Length + 1);
            switch (rng.Next(3))
            {
                case 0 when sb.Length > 0 && at < sb.Length: sb.Remove(at, Math.Min(rng.Next(1, 6), sb.Length - at)); break;
                case 1: sb.Insert(at, Fragments[rng.Next(Fragments.Length)]); break;
                default: sb.Insert(at, (char)rng.Next(32, 127)); break;
            }
        }
        return sb.ToString();
    }

    private static void OnlyApiErrors(Action action)
    {
        try
        {
            action();
        }
        catch (ApiError e)
        {
            Assert.InRange(e.Code, 400, 499);
        }
    }

    [Fact]
    public void BodiesAndNormalizer_RandomMutations_OnlyRaiseClientErrors()
    {
        var rng = new Random(1234);
        for (var i = 0; i < Rounds; i++)
        {
            var text = Mutate(rng, Pod);
            OnlyApiErrors(() =>
            {
                var obj = JsonBody.Parse(Encoding.UTF8.GetBytes(text), FieldValidation.Warn, new List<string>());
                SchemaNormalizer.Normalize(obj, typeof(V1Pod), FieldValidation.Warn, new List<string>());
            });
            OnlyApiErrors(() => JsonBody.ParseYaml(text, FieldValidation.Warn, new List<string>()));
        }
    }

    [Fact]
    public void Patches_RandomMutations_OnlyRaiseClientErrors()
    {
        var rng = new Random(99);
        var target = JsonNode.Parse(Pod)!.AsObject();
        const string smp = """{"metadata":{"labels":{"x":null}},"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"name":"nginx","image":"b","env":[{"name":"A","$patch":"delete"}]}]}}""";
        const string jsonPatch = """[{"op":"add","path":"/metadata/labels/b","value":"c"},{"op":"move","from":"/spec/containers/0","path":"/spec/containers/-"},{"op":"test","path":"/kind","value":"Pod"}]""";
        for (var i = 0; i < Rounds; i++)
        {
            var s = Encoding.UTF8.GetBytes(Mutate(rng, smp));
            var j = Encoding.UTF8.GetBytes(Mutate(rng, jsonPatch));
            OnlyApiErrors(() => StrategicMergePatch.Apply(target, s, typeof(V1Pod)));
            OnlyApiErrors(() => MergePatch.Apply(target, s));
            OnlyApiErrors(() => JsonPatch.Apply(target, j));
        }
    }

    [Fact]
    public void Selectors_RandomMutations_OnlyRaiseClientErrors()
    {
        var rng = new Random(7);
        for (var i = 0; i < Rounds; i++)
        {
            OnlyApiErrors(() => LabelSelector.Parse(Mutate(rng, "app in (a,b),!x,tier!=fe,n>3,example.com/k==v")));
            OnlyApiErrors(() => FieldSelector.Parse(Mutate(rng, @"metadata.name=a\,b,status.phase!=Running")));
        }
    }
}
