using System.Text;
using K8sHost.ApiMachinery;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Json;
using Xunit;

namespace K8sHost.UnitTests.ApiMachinery;

public class JsonBodyTests
{
    private static byte[] U(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Parse_ValidObject_ReturnsTree()
    {
        var o = JsonBody.Parse(U("""{"a":{"b":[1,2.5,"x",true,null]}}"""), FieldValidation.Strict, new List<string>());
        Assert.Equal("""{"a":{"b":[1,2.5,"x",true,null]}}""", o.ToJsonString());
    }

    [Theory]
    [InlineData("{\"a\":")]
    [InlineData("{\"a\":1")]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("\"str\"")]
    [InlineData("{} {}")]
    public void Parse_MalformedOrNonObject_Returns400(string body)
    {
        var ex = Assert.Throws<ApiError>(() => JsonBody.Parse(U(body), FieldValidation.Strict, new List<string>()));
        Assert.Equal(400, ex.Code);
    }

    [Fact]
    public void Parse_InvalidUtf8InString_Returns400()
    {
        byte[] body = [.. U("{\"a\":\""), 0xC3, 0x28, .. U("\"}")];
        Assert.Equal(400, Assert.Throws<ApiError>(() => JsonBody.Parse(body, FieldValidation.Strict, new List<string>())).Code);
    }

    [Fact]
    public void Parse_Utf8Bom_IsSkipped()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. U("{\"a\":1}")];
        Assert.Equal(1, (long)JsonBody.Parse(body, FieldValidation.Strict, new List<string>())["a"]!);
    }

    [Fact]
    public void Parse_NumberOutOfRange_Returns400() =>
        Assert.Equal(400, Assert.Throws<ApiError>(() => JsonBody.Parse(U("{\"a\":1e400}"), FieldValidation.Strict, new List<string>())).Code);

    [Fact]
    public void Parse_NestingDeeperThanLimit_Returns400NotStackOverflow()
    {
        var body = new string('[', 5000) + new string(']', 5000);
        var ex = Assert.Throws<ApiError>(() => JsonBody.Parse(U("{\"a\":" + body + "}"), FieldValidation.Ignore, new List<string>()));
        Assert.Equal(400, ex.Code);
        Assert.Contains("depth", ex.Message);
    }

    [Fact]
    public void Parse_DuplicateFieldStrict_Returns400NamingPath()
    {
        var ex = Assert.Throws<ApiError>(() => JsonBody.Parse(U("""{"metadata":{"name":"a","name":"b"}}"""), FieldValidation.Strict, new List<string>()));
        Assert.Equal(400, ex.Code);
        Assert.Equal("strict decoding error: duplicate field \"metadata.name\"", ex.Message);
    }

    [Fact]
    public void Parse_DuplicateFieldInsideList_NamesIndex()
    {
        var ex = Assert.Throws<ApiError>(() => JsonBody.Parse(U("""{"spec":{"containers":[{"name":"a"},{"name":"b","name":"c"}]}}"""), FieldValidation.Strict, new List<string>()));
        Assert.Contains("\"spec.containers[1].name\"", ex.Message);
    }

    [Fact]
    public void Parse_DuplicateFieldWarn_AddsWarningAndLastWins()
    {
        var warnings = new List<string>();
        var o = JsonBody.Parse(U("""{"metadata":{"name":"a","name":"b"}}"""), FieldValidation.Warn, warnings);
        Assert.Equal("b", (string?)o["metadata"]!["name"]);
        Assert.Equal(["duplicate field \"metadata.name\""], warnings);
    }

    [Fact]
    public void Parse_DuplicateFieldIgnore_LastWinsSilently()
    {
        var warnings = new List<string>();
        var o = JsonBody.Parse(U("""{"a":1,"a":2}"""), FieldValidation.Ignore, warnings);
        Assert.Equal(2, (long)o["a"]!);
        Assert.Empty(warnings);
    }

    [Fact]
    public void ParseYaml_Manifest_ConvertsScalarsLikeJson()
    {
        var yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              labels: {app: "123", tier: fe}
            spec:
              replicas: 3
              ratio: 0.5
              enabled: true
              nothing: null
              quoted: "true"
              containers:
              - name: nginx
                args: ["a", b]
            """;
        var o = JsonBody.ParseYaml(U(yaml), FieldValidation.Strict, new List<string>());
        Assert.Equal("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","labels":{"app":"123","tier":"fe"}},"spec":{"replicas":3,"ratio":0.5,"enabled":true,"nothing":null,"quoted":"true","containers":[{"name":"nginx","args":["a","b"]}]}}""", o.ToJsonString());
    }

    [Fact]
    public void Parse_SeveralDuplicatesStrict_ListsAllInOneMessage()
    {
        var ex = Assert.Throws<ApiError>(() => JsonBody.Parse(U("""{"a":1,"a":2,"spec":{"paused":true,"paused":false}}"""), FieldValidation.Strict, new List<string>()));
        Assert.Equal("strict decoding error: duplicate field \"a\", duplicate field \"spec.paused\"", ex.Message);
    }

    [Fact]
    public void ParseYaml_DuplicateKeyStrict_Returns400WithGoYamlWording()
    {
        var ex = Assert.Throws<ApiError>(() => JsonBody.ParseYaml(U("metadata:\n  name: a\n  name: b\nspec:\n  paused: true\n  paused: false\n"), FieldValidation.Strict, new List<string>()));
        Assert.Equal(400, ex.Code);
        Assert.Equal("strict decoding error: yaml: unmarshal errors:\n  line 3: key \"name\" already set in map\n  line 6: key \"paused\" already set in map", ex.Message);
    }

    [Fact]
    public void ParseYaml_DuplicateKeyWarn_WarnsWithLineAndLastWins()
    {
        var warnings = new List<string>();
        var o = JsonBody.ParseYaml(U("a: 1\na: 2\n"), FieldValidation.Warn, warnings);
        Assert.Equal(2, (long)o["a"]!);
        Assert.Equal(["line 2: key \"a\" already set in map"], warnings);
    }

    [Theory]
    [InlineData("a: [1, 2")]
    [InlineData("- 1\n- 2\n")]
    [InlineData("just a string")]
    public void ParseYaml_MalformedOrNonMapping_Returns400(string yaml)
    {
        var ex = Assert.Throws<ApiError>(() => JsonBody.ParseYaml(U(yaml), FieldValidation.Strict, new List<string>()));
        Assert.Equal(400, ex.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    public void ParseYaml_WithNoDocument_IsAnEmptyObject_AsGoDecodesYamlNull(string yaml)
    {
        Assert.Empty(JsonBody.ParseYaml(U(yaml), FieldValidation.Strict, new List<string>()));
    }

    [Fact]
    public void ParseYaml_AnchorsAndAliases_AreExpanded()
    {
        var o = JsonBody.ParseYaml(U("base: &b {image: nginx}\ncopy: *b\n"), FieldValidation.Strict, new List<string>());
        Assert.Equal("""{"base":{"image":"nginx"},"copy":{"image":"nginx"}}""", o.ToJsonString());
    }

    [Fact]
    public void ParseYaml_BillionLaughs_Returns400()
    {
        var sb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 10; i++)
            sb.Append($"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        var ex = Assert.Throws<ApiError>(() => JsonBody.ParseYaml(sb.ToString(), FieldValidation.Strict, new List<string>()));
        Assert.Equal(400, ex.Code);
    }

    [Fact]
    public void ParseYaml_DeepNesting_Returns400()
    {
        var yaml = "a: " + new string('[', 3000) + new string(']', 3000);
        var ex = Assert.Throws<ApiError>(() => JsonBody.ParseYaml(yaml, FieldValidation.Strict, new List<string>()));
        Assert.Equal(400, ex.Code);
    }
}
