using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using K8sHost.Api.OpenApi.V2.Protocol;
using Gnostic = K8sHost.Api.OpenApi.V2.Protocol;

namespace K8sHost.Api.OpenApi;

/// <summary>
/// Encodes the Swagger 2.0 JSON document as gnostic's openapi_v2.Document, the protobuf form kubectl requests
/// (Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf). Walks only the shapes OpenApiV2Converter
/// emits; a key it does not know fails loudly in tests rather than silently vanishing from the protobuf form.
/// Extension values (x-kubernetes-*) travel as YAML text, as gnostic stores them; JSON text is valid YAML.
/// </summary>
internal static class OpenApiV2Protobuf
{
    public static byte[] Encode(JsonObject v2) => ToDocument(v2).ToByteArray();

    public static Document ToDocument(JsonObject v2)
    {
        var doc = new Document { Swagger = Str(v2["swagger"]) };
        foreach (var (key, value) in v2)
        {
            switch (key)
            {
                case "swagger": break;
                case "info":
                    doc.Info = new Info { Title = Str(value!["title"]), Version = Str(value["version"]), Description = Str(value["description"]) };
                    break;
                case "consumes": doc.Consumes.AddRange(Strings(value)); break;
                case "produces": doc.Produces.AddRange(Strings(value)); break;
                case "paths":
                    doc.Paths = new Paths();
                    foreach (var (path, item) in value!.AsObject())
                        doc.Paths.Path.Add(new NamedPathItem { Name = path, Value = ToPathItem(item!.AsObject()) });
                    break;
                case "definitions":
                    doc.Definitions = new Definitions();
                    foreach (var (name, schema) in value!.AsObject())
                        doc.Definitions.AdditionalProperties.Add(new NamedSchema { Name = name, Value = ToSchema(schema!.AsObject()) });
                    break;
                case "securityDefinitions":
                    doc.SecurityDefinitions = new SecurityDefinitions();
                    foreach (var (name, scheme) in value!.AsObject())
                        doc.SecurityDefinitions.AdditionalProperties.Add(new NamedSecurityDefinitionsItem
                        {
                            Name = name,
                            Value = new SecurityDefinitionsItem
                            {
                                ApiKeySecurity = new ApiKeySecurity
                                {
                                    Type = Str(scheme!["type"]),
                                    Name = Str(scheme["name"]),
                                    In = Str(scheme["in"]),
                                    Description = Str(scheme["description"]),
                                },
                            },
                        });
                    break;
                case "security":
                    foreach (var requirement in value!.AsArray())
                    {
                        var r = new SecurityRequirement();
                        foreach (var (name, scopes) in requirement!.AsObject())
                            r.AdditionalProperties.Add(new NamedStringArray { Name = name, Value = new StringArray { Value = { Strings(scopes) } } });
                        doc.Security.Add(r);
                    }
                    break;
                default: throw Unknown("document", key);
            }
        }
        return doc;
    }

    private static PathItem ToPathItem(JsonObject item)
    {
        var result = new PathItem();
        foreach (var (key, value) in item)
        {
            switch (key)
            {
                case "get": result.Get = ToOperation(value!.AsObject()); break;
                case "put": result.Put = ToOperation(value!.AsObject()); break;
                case "post": result.Post = ToOperation(value!.AsObject()); break;
                case "delete": result.Delete = ToOperation(value!.AsObject()); break;
                case "options": result.Options = ToOperation(value!.AsObject()); break;
                case "head": result.Head = ToOperation(value!.AsObject()); break;
                case "patch": result.Patch = ToOperation(value!.AsObject()); break;
                case "parameters": result.Parameters.AddRange(value!.AsArray().Select(p => ToParameter(p!.AsObject()))); break;
                default: throw Unknown("path item", key);
            }
        }
        return result;
    }

    private static Operation ToOperation(JsonObject op)
    {
        var result = new Operation();
        foreach (var (key, value) in op)
        {
            switch (key)
            {
                case "tags": result.Tags.AddRange(Strings(value)); break;
                case "summary": result.Summary = Str(value); break;
                case "description": result.Description = Str(value); break;
                case "operationId": result.OperationId = Str(value); break;
                case "produces": result.Produces.AddRange(Strings(value)); break;
                case "consumes": result.Consumes.AddRange(Strings(value)); break;
                case "schemes": result.Schemes.AddRange(Strings(value)); break;
                case "deprecated": result.Deprecated = value!.GetValue<bool>(); break;
                case "parameters": result.Parameters.AddRange(value!.AsArray().Select(p => ToParameter(p!.AsObject()))); break;
                case "responses":
                    result.Responses = new Gnostic.Responses();
                    foreach (var (code, response) in value!.AsObject())
                        result.Responses.ResponseCode.Add(new NamedResponseValue { Name = code, Value = new ResponseValue { Response = ToResponse(response!.AsObject()) } });
                    break;
                default:
                    if (!key.StartsWith("x-", StringComparison.Ordinal)) throw Unknown("operation", key);
                    result.VendorExtension.Add(Extension(key, value));
                    break;
            }
        }
        return result;
    }

    private static Response ToResponse(JsonObject response)
    {
        var result = new Response { Description = Str(response["description"]) };
        if (response["schema"] is JsonObject schema) result.Schema = new SchemaItem { Schema = ToSchema(schema) };
        foreach (var (key, _) in response)
            if (key is not ("description" or "schema")) throw Unknown("response", key);
        return result;
    }

    private static ParametersItem ToParameter(JsonObject p)
    {
        var location = Str(p["in"]);
        foreach (var (key, _) in p)
            if (key is not ("name" or "in" or "description" or "required" or "type" or "format" or "uniqueItems" or "schema"))
                throw Unknown("parameter", key);
        var required = p["required"]?.GetValue<bool>() ?? false;
        var unique = p["uniqueItems"]?.GetValue<bool>() ?? false;
        Parameter parameter = location switch
        {
            "body" => new Parameter
            {
                BodyParameter = new BodyParameter
                {
                    Name = Str(p["name"]),
                    In = location,
                    Description = Str(p["description"]),
                    Required = required,
                    Schema = p["schema"] is JsonObject s ? ToSchema(s) : null,
                },
            },
            "query" => new Parameter
            {
                NonBodyParameter = new NonBodyParameter
                {
                    QueryParameterSubSchema = new QueryParameterSubSchema
                    {
                        Name = Str(p["name"]),
                        In = location,
                        Description = Str(p["description"]),
                        Required = required,
                        Type = Str(p["type"]),
                        Format = Str(p["format"]),
                        UniqueItems = unique,
                    },
                },
            },
            "path" => new Parameter
            {
                NonBodyParameter = new NonBodyParameter
                {
                    PathParameterSubSchema = new PathParameterSubSchema
                    {
                        Name = Str(p["name"]),
                        In = location,
                        Description = Str(p["description"]),
                        Required = required,
                        Type = Str(p["type"]),
                        Format = Str(p["format"]),
                        UniqueItems = unique,
                    },
                },
            },
            "header" => new Parameter
            {
                NonBodyParameter = new NonBodyParameter
                {
                    HeaderParameterSubSchema = new HeaderParameterSubSchema
                    {
                        Name = Str(p["name"]),
                        In = location,
                        Description = Str(p["description"]),
                        Required = required,
                        Type = Str(p["type"]),
                        Format = Str(p["format"]),
                        UniqueItems = unique,
                    },
                },
            },
            _ => throw new InvalidOperationException($"OpenAPI v2 protobuf: parameter location '{location}' is not encoded"),
        };
        return new ParametersItem { Parameter = parameter };
    }

    private static Schema ToSchema(JsonObject schema)
    {
        var result = new Schema();
        foreach (var (key, value) in schema)
        {
            switch (key)
            {
                case "$ref": result.Ref = Str(value); break;
                case "format": result.Format = Str(value); break;
                case "title": result.Title = Str(value); break;
                case "description": result.Description = Str(value); break;
                case "default": result.Default = Yaml(value); break;
                case "required": result.Required.AddRange(Strings(value)); break;
                case "enum": result.Enum.AddRange(value!.AsArray().Select(Yaml)); break;
                case "readOnly": result.ReadOnly = value!.GetValue<bool>(); break;
                case "type": result.Type = new TypeItem { Value = { Str(value) } }; break;
                case "items": result.Items = new ItemsItem { Schema = { ToSchema(value!.AsObject()) } }; break;
                case "allOf": result.AllOf.AddRange(value!.AsArray().Select(s => ToSchema(s!.AsObject()))); break;
                case "additionalProperties":
                    result.AdditionalProperties = value is JsonObject map
                        ? new AdditionalPropertiesItem { Schema = ToSchema(map) }
                        : new AdditionalPropertiesItem { Boolean = value!.GetValue<bool>() };
                    break;
                case "properties":
                    result.Properties = new Properties();
                    foreach (var (name, property) in value!.AsObject())
                        result.Properties.AdditionalProperties.Add(new NamedSchema { Name = name, Value = ToSchema(property!.AsObject()) });
                    break;
                default:
                    if (!key.StartsWith("x-", StringComparison.Ordinal)) throw Unknown("schema", key);
                    result.VendorExtension.Add(Extension(key, value));
                    break;
            }
        }
        return result;
    }

    private static NamedAny Extension(string name, JsonNode? value) => new() { Name = name, Value = Yaml(value) };

    private static Any Yaml(JsonNode? value) => new() { Yaml = value?.ToJsonString(PlainJson) ?? "null" };

    private static string Str(JsonNode? node) => node?.GetValue<string>() ?? "";

    private static IEnumerable<string> Strings(JsonNode? node) => node?.AsArray().Select(s => s!.GetValue<string>()) ?? [];

    private static InvalidOperationException Unknown(string where, string key) =>
        new($"OpenAPI v2 protobuf: {where} key '{key}' has no encoding; extend OpenApiV2Protobuf and the .proto subset");

    private static readonly JsonSerializerOptions PlainJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
