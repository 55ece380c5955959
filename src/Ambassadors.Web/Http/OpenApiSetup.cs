using Microsoft.OpenApi;

namespace Ambassadors.Web.Http;

/// <summary>The OpenAPI document at /openapi/v1.json: what the API is, and how to authenticate.</summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddAmbassadorsOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Ambassadors API",
                Version = "v1",
                Description = "Campaigns, ambassadors, referral links and codes, and what they cause. " +
                              "Every /api/v1 call takes `Authorization: Bearer <api key>`; errors are RFC 9457 problem details.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["apiKey"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key (admin, manager, finance or merchant) as a bearer token.",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("apiKey", document)] = [],
            });
            return Task.CompletedTask;
        }).AddSchemaTransformer((schema, context, _) =>
        {
            JsonInput.DescribeSchema(schema, context.JsonTypeInfo.Type, context.JsonPropertyInfo);
            return Task.CompletedTask;
        }));
}
