using K8sHost.ApiMachinery.Errors;

namespace K8sHost.Api.Responses;

/// <summary>The includeObject query parameter: what a Table row carries in "object".</summary>
public enum IncludeObject { Metadata, Object, None }

public static class IncludeObjectParser
{
    public static IncludeObject Parse(string? value) => value switch
    {
        null or "" or "Metadata" => IncludeObject.Metadata,
        "Object" => IncludeObject.Object,
        "None" => IncludeObject.None,
        _ => throw ApiError.BadRequest($"includeObject: Unsupported value: \"{value}\": supported values: \"Metadata\", \"None\", \"Object\""),
    };
}
