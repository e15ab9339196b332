using System.Text;
using System.Text.Json.Nodes;
using K8sHost.ApiMachinery;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Json;
using Xunit;

namespace K8sHost.UnitTests.ApiMachinery;

/// <summary>Texts kube-apiserver takes from Go (encoding/json, fmt, strconv) come out the same here.</summary>
public sealed class GoWordingTests
{
    [Theory]
    [InlineData("abc", "invalid character 'a' looking for beginning of value")]
    [InlineData("", "unexpected end of JSON input")]
    [InlineData("{", "unexpected end of JSON input")]
    [InlineData("{]", "invalid character ']' looking for beginning of object key string")]
    [InlineData("{\"a\"}", "invalid character '}' after object key")]
    [InlineData("{\"a\":1 \"b\":2}", "invalid character '\"' after object key:value pair")]
    [InlineData("[1 2]", "invalid character '2' after array element")]
    [InlineData("{} x", "invalid character 'x' after top-level value")]
    [InlineData("{\"a\":tru}", "invalid character '}' in literal true (expecting 'e')")]
    [InlineData("{\"a\":nul}", "invalid character '}' in literal null (expecting 'l')")]
    [InlineData("{\"a\":-x}", "invalid character 'x' in numeric literal")]
    [InlineData("{\"a\":1.}", "invalid character '}' after decimal point in numeric literal")]
    [InlineData("{\"a\":1e}", "invalid character '}' in exponent of numeric literal")]
    [InlineData("{\"a\":\"\\q\"}", "invalid character 'q' in string escape code")]
    [InlineData("{\"a\":\"\\u12g4\"}", "invalid character 'g' in \\u hexadecimal character escape")]
    [InlineData("{\"a\":\"x\ny\"}", "invalid character '\\n' in string literal")]
    [InlineData("{'a':1}", "invalid character '\\'' looking for beginning of object key string")]
    public void SyntaxErrors_AreWordedAsGoEncodingJson(string json, string expected) =>
        Assert.Equal(expected, GoJsonSyntax.FindError(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("{\"a\":[1,2.5e-3,true,false,null,\"s\\u00e9\"]}")]
    [InlineData("  0  ")]
    [InlineData("-0.5E+2")]
    public void ValidJson_HasNoSyntaxError(string json) => Assert.Null(GoJsonSyntax.FindError(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void DeeplyNestedText_IsLeftToTheDepthLimit_WithoutRecursingWithoutBound()
    {
        var deep = new string('[', 200_000);
        Assert.Null(GoJsonSyntax.FindError(Encoding.UTF8.GetBytes(deep)));
        var ex = Assert.Throws<ApiError>(() => JsonBody.Parse(Encoding.UTF8.GetBytes(deep), FieldValidation.Strict, new List<string>()));
        Assert.Contains($"maximum depth of {JsonBody.MaxDepth}", ex.Message);
    }

    [Fact]
    public void JsonBodyParse_OfBrokenJson_CarriesGoWordsAsItsUndecodableReason()
    {
        var ex = Assert.Throws<ApiError>(() => JsonBody.Parse("{\"a\":}"u8, FieldValidation.Strict, new List<string>()));
        Assert.Equal("couldn't get version/kind; json parse error: invalid character '}' looking for beginning of value", ex.UndecodableReason);
    }

    [Fact]
    public void JsonBodyParse_OfJsonNull_IsAnEmptyObject() =>
        Assert.Empty(JsonBody.Parse("null"u8, FieldValidation.Strict, new List<string>()));

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("tab\tnl\n", "\"tab\\tnl\\n\"")]
    [InlineData("\u0001", "\"\\x01\"")]
    [InlineData("ünï", "\"ünï\"")]
    [InlineData("\u200b", "\"\\u200b\"")]
    public void Quote_IsGoStrconvQuote(string value, string expected) => Assert.Equal(expected, GoText.Quote(value));

    [Theory]
    [InlineData(1, "1")]
    [InlineData(1.5, "1.5")]
    [InlineData(100000, "100000")]
    [InlineData(1000000, "1e+06")]
    [InlineData(1234567, "1.234567e+06")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(-3e21, "-3e+21")]
    public void Float_IsGoPercentV(double value, string expected) => Assert.Equal(expected, GoText.Float(value));

    [Fact]
    public void Value_OfADecodedPatch_IsGoPercentVOfAMap() =>
        Assert.Equal("map[data:str metadata:map[labels:map[a:b]] n:3 ports:[80 <nil> true]]",
            GoText.Value(JsonNode.Parse("""{"n":3,"metadata":{"labels":{"a":"b"}},"data":"str","ports":[80,null,true]}""")));

    [Fact]
    public void FieldErrorValues_AreQuotedAsGoDoes() =>
        Assert.Equal("Invalid value: \"say \\\"hi\\\"\": bad", FieldError.Invalid("f", "say \"hi\"", "bad").Message);

    [Fact]
    public void StatusDetails_OmitEmptyFieldsAsOmitemptyDoes()
    {
        var status = ApiError.Invalid("", "", "", [new StatusCause("FieldValueInvalid", "m", "patch")]).ToStatus();
        var details = status["details"]!.AsObject();
        Assert.Equal(["causes"], details.Select(p => p.Key));
        Assert.Equal(" \"\" is invalid: patch: m", (string?)status["message"]);
    }

    [Fact]
    public void Unrecognized_SummarizesJsonByItsStartAndAnythingElseInHex()
    {
        Assert.EndsWith($"({string.Concat(Enumerable.Repeat("78", 30))} ...)",
            DecodeErrors.Unrecognized("X", "r", Encoding.UTF8.GetBytes(new string('x', 40))).Message, StringComparison.Ordinal);
        Assert.Equal("the object provided is unrecognized (must be of type Pod): r (616263)", DecodeErrors.Unrecognized("Pod", "r", "abc"u8).Message);
        Assert.Equal("the object provided is unrecognized (must be of type Pod): r ({\"kind\":\"Pod\",\"metadata\":{\"nam ...)",
            DecodeErrors.Unrecognized("Pod", "r", "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}"u8).Message);
        Assert.Equal("the object provided is unrecognized (must be of type Pod): r (<empty>)", DecodeErrors.Unrecognized("Pod", "r", ""u8).Message);
    }
}
