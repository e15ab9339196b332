using System.Text.Json;
using System.Text.Json.Nodes;
using K8sHost.Api.Auth;
using K8sHost.Api.Auth.Authorization;
using K8sHost.Api.Bodies;
using K8sHost.Api.Discovery;
using K8sHost.Api.Endpoints;
using K8sHost.Api.Responses;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace K8sHost.Api.Reviews;

/// <summary>
/// POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews, …/selfsubjectrulesreviews and
/// /apis/authentication.k8s.io/v1/selfsubjectreviews. Bodies go through the same decoders as every resource (JSON,
/// YAML, protobuf: kubectl sends protobuf); the reply is 201 with the review and its status. Other methods are 405.
/// </summary>
public static class ReviewEndpoints
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    public static void Map(IEndpointRouteBuilder app, Func<RequestDelegate, RequestDelegate> wrap)
    {
        Map(app, wrap, ReviewResources.AccessReview, (review, rc, a) => SelfSubjectAccessReviews.Answer(review, rc.User, a, rc.Tenant));
        Map(app, wrap, ReviewResources.RulesReview, (review, rc, a) => SelfSubjectRulesReviews.Answer(review, rc.User, a, rc.Tenant));
        Map(app, wrap, ReviewResources.WhoAmI, (review, rc, _) => SelfSubjectReviews.Answer(review, rc.User));
    }

    private static void Map(IEndpointRouteBuilder app, Func<RequestDelegate, RequestDelegate> wrap, VirtualResource r,
        Func<JsonObject, RequestContext, IAuthorizer, JsonObject> answer)
    {
        app.MapMethods($"/apis/{r.Group}/{r.Version}/{r.Plural}", Methods, wrap(async http =>
        {
            if (!HttpMethods.IsPost(http.Request.Method))
                throw ApiError.MethodNotAllowed($"the server does not allow this method on the requested resource ({http.Request.Method} {r.Plural}.{r.Group}): only create is supported");
            var s = http.RequestServices.GetRequiredService<ApiServices>();
            var query = new RequestQuery(http.Request.Query);
            var warnings = new List<string>();
            var decoder = s.Decoders.Resolve(http.Request.ContentType);
            var body = await RequestBodyReader.ReadAsync(http, s.Options.MaxRequestBodyBytes, http.RequestAborted);
            var review = RequestBodyDecoders.Decode(decoder, body, query.FieldValidation, warnings, r.Kind);
            BodyChecks.TypeMeta(review, r.Kind, r.ApiVersion);
            var reply = answer(review, http.GetRequestContext(), http.RequestServices.GetRequiredService<IAuthorizer>());
            WarningHeaders.Add(http.Response, warnings);
            var bytes = K8sHost.ApiMachinery.Json.WireJson.Serialize(reply);
            http.Response.StatusCode = StatusCodes.Status201Created;
            http.Response.ContentType = "application/json";
            http.Response.ContentLength = bytes.Length;
            await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
        })).WithDisplayName($"{r.Plural}.{r.Group}/{r.Version} create");
    }
}
