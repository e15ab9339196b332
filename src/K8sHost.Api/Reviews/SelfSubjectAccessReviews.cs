using System.Text.Json.Nodes;
using K8sHost.Api.Auth.Authorization;
using K8sHost.Api.Endpoints;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Contracts;

namespace K8sHost.Api.Reviews;

/// <summary>
/// authorization.k8s.io/v1 SelfSubjectAccessReview (`kubectl auth can-i VERB RESOURCE`): may the caller do this?
/// Answered by the authorizer with the caller's own identity; the spec names no user.
/// </summary>
public static class SelfSubjectAccessReviews
{
    public static JsonObject Answer(JsonObject review, UserInfo user, IAuthorizer authorizer, Tenant? tenant = null)
    {
        var spec = Object(review, "spec") ?? new JsonObject();
        var resource = Object(spec, "resourceAttributes");
        var nonResource = Object(spec, "nonResourceAttributes");
        if ((resource is null) == (nonResource is null))
            throw ApiError.Invalid(ReviewResources.AccessReview.Kind, ReviewResources.AccessReview.Group, "",
            [
                new StatusCause("FieldValueInvalid",
                    "Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified",
                    "spec.resourceAttributes"),
            ]);
        var attributes = resource is not null
            ? new AuthorizationAttributes(user, Str(resource, "verb"), IsResourceRequest: true, Str(resource, "namespace"), Str(resource, "group"),
                Str(resource, "version"), Str(resource, "resource"), Str(resource, "subresource"), Str(resource, "name"))
            : new AuthorizationAttributes(user, Str(nonResource!, "verb"), IsResourceRequest: false, Path: Str(nonResource!, "path"));
        var result = authorizer.Authorize(attributes with { Tenant = tenant ?? Tenant.Default });
        var status = new JsonObject { ["allowed"] = result.Allowed };
        if (result.Decision == AuthorizationDecision.Deny) status["denied"] = true;
        if (result.Reason.Length > 0) status["reason"] = result.Reason;
        return ReviewReplies.Reply(ReviewResources.AccessReview, review, spec, status);
    }

    internal static JsonObject? Object(JsonObject obj, string field) => obj[field] switch
    {
        null => null,
        JsonObject o => o,
        _ => throw ApiError.BadRequest($"error decoding request body: {field} must be an object"),
    };

    internal static string Str(JsonObject obj, string field) => BodyChecks.StringField(obj, field) ?? "";
}
