using System.Text.RegularExpressions;
using Ambassadors.Data;
using System.ComponentModel;
using Ambassadors.Web.Access;
using Ambassadors.Web.Http;
using Ambassadors.Web.Tracking;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ambassadors.Web.Conversions;

public sealed record ConversionRequest(
    [property: Description("The merchant's own id for this lead or sale (order number, sign-up id): 1-128 characters of A-Z a-z 0-9 . _ : - # @, so it can be used in a path. Sending it again with the same body changes nothing.")] string? ExternalId,
    [property: Description("lead or sale.")] string? Kind,
    [property: Description("The sale amount (required for a sale), with no more decimals than the currency allows.")] decimal? Amount = null,
    [property: Description("ISO 4217 code; required for a sale and must be the campaign's currency.")] string? Currency = null,
    [property: Description("The referral code the customer came with (the ref parameter of the landing URL).")] string? ReferralCode = null,
    [property: Description("The click id the customer came with (the click_id parameter); wins over referralCode when it names a click of the campaign inside its attribution window.")] string? ClickId = null,
    [property: Description("The merchant's customer id, for the merchant's own reconciliation.")] string? CustomerId = null,
    [property: Description("When the lead or sale happened (default: now): an ISO 8601 date and time with its offset, e.g. 2026-11-01T10:00:00Z or 2026-11-01T11:00:00+01:00; not in the future, not more than a year ago.")] string? OccurredAt = null);

public sealed record ReversalRequest([property: Description("Why: refund, cancellation, fraud…")] string? Reason = null);

public static partial class ConversionApi
{
    /// <summary>What a lookup by externalId reads at most (ids stored before the charset rule were up to 200 characters).</summary>
    public const int MaxExternalIdLength = 200;

    /// <summary>API.md, "Input rules": every accepted id can be used in a path (GET, reversal).</summary>
    [GeneratedRegex("^[A-Za-z0-9._:#@-]{1,128}$")]
    private static partial Regex ExternalIdFormat();

    public const decimal MaxAmount = 1_000_000_000_000m;

    public static RouteGroupBuilder MapConversions(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/conversions")
            .WithTags("Conversions")
            .RequireAuthorization(ApiPolicies.Merchant);

        group.MapPost("/", RecordAsync)
            .WithName("RecordConversion")
            .Refuses(400, 409, 422)
            .WithSummary("Report a lead or sale")
            .WithDescription("Attributes the conversion to an ambassador (click id inside the attribution window, else referral code) and books the reward in the same transaction. Idempotent on externalId: the same body again answers 200 with the stored conversion, a different body 409.");

        group.MapGet("/", ListAsync)
            .WithName("ListConversions")
            .Refuses(400, 422)
            .WithSummary("List conversions")
            .WithDescription("Newest first, with attribution and reward, for reconciliation; optionally of one campaign or ambassador and between two UTC dates (inclusive, by when they happened).");

        group.MapGet("/{externalId}", GetAsync)
            .WithName("GetConversion")
            .Refuses(404)
            .WithSummary("Get a conversion")
            .WithDescription("The conversion with its attribution and reward, by the merchant's externalId.");

        group.MapPost("/{externalId}/reversal", ReverseAsync)
            .WithName("ReverseConversion")
            .Refuses(400, 404, 422)
            .WithSummary("Reverse a conversion (refund or cancellation)")
            .WithDescription("Voids the reward if it is not paid yet, or books a negative clawback against the next payout if it is. Repeating it changes nothing.");

        return group;
    }

    private static async Task<Results<Created<ConversionView>, Ok<ConversionView>, ProblemHttpResult>> RecordAsync(
        ConversionRequest request, ConversionService conversions, TimeProvider clock, CancellationToken cancellationToken)
    {
        var check = new Validation();
        var externalId = check.Required("externalId", request.ExternalId, 128);
        if (check.IsValid && !ExternalIdFormat().IsMatch(request.ExternalId!))
        {
            check.Add("externalId", "'externalId' is 1-128 characters of A-Z a-z 0-9 . _ : - # @ (no spaces, slashes or other characters).");
        }
        var kind = check.OneOf<ConversionKind>("kind", request.Kind, required: true);
        var currency = check.Currency("currency", request.Currency, required: false);
        if (request.Amount is { } amount)
        {
            if (amount < 0) check.Add("amount", "'amount' cannot be negative; report a refund as a reversal.");
            else if (amount > MaxAmount) check.Add("amount", $"'amount' is larger than {MaxAmount:N0}.");
            else check.MinorUnits("amount", amount, currency);
        }
        if (kind == ConversionKind.Sale)
        {
            if (request.Amount is null) check.Add("amount", "A sale needs an 'amount'.");
            if (string.IsNullOrWhiteSpace(request.Currency)) check.Add("currency", "A sale needs a 'currency' (the campaign's).");
        }
        var referralCode = check.Optional("referralCode", request.ReferralCode, ReferralCodeFormat.MaxLength + 10);
        if (referralCode is not null && ReferralCodeFormat.Problem(referralCode) is { } codeProblem) check.Add("referralCode", codeProblem);
        var clickId = check.Optional("clickId", request.ClickId, 100);
        if (clickId is not null && !ClickIds.TryParse(clickId, out _))
        {
            check.Add("clickId", $"'{Validation.Truncate(clickId)}' is not a click id (they look like {ClickIds.Prefix}… with {ClickIds.Length} characters).");
        }
        if (referralCode is null && clickId is null)
        {
            check.Add("referralCode", "Give the 'referralCode' or the 'clickId' the customer came with, so the conversion can be attributed.");
        }
        var customerId = check.Optional("customerId", request.CustomerId, 200);
        var now = clock.GetUtcNow();
        DateTimeOffset? occurredAt = null;
        if (request.OccurredAt is { } occurredText)
        {
            if (OccurredAt.Problem(occurredText, now, out var at) is { } problem) check.Add("occurredAt", problem);
            else occurredAt = at;
        }
        if (!check.IsValid) return Problems.Invalid(check.Errors);

        var input = new ConversionInput(externalId, kind!.Value, request.Amount, currency,
            referralCode is null ? null : ReferralCodeFormat.Normalize(referralCode), clickId, customerId, occurredAt);
        var result = await conversions.RecordAsync(input, cancellationToken);
        if (result.Failure is { } failure) return Problems.From(failure);
        return result.Created
            ? TypedResults.Created($"/api/v1/conversions/{Uri.EscapeDataString(result.Value!.ExternalId)}", result.Value)
            : TypedResults.Ok(result.Value!);
    }

    private static async Task<Results<Ok<Page<ConversionView>>, ProblemHttpResult>> ListAsync(
        [AsParameters] Paging paging,
        [Description("Only this campaign's conversions.")] string? campaignId,
        [Description("Only this ambassador's conversions.")] string? ambassadorId,
        [Description("First UTC date, YYYY-MM-DD, inclusive.")] string? from,
        [Description("Last UTC date, YYYY-MM-DD, inclusive.")] string? to,
        ConversionService conversions, CancellationToken cancellationToken)
    {
        var check = paging.Check();
        var fromDate = check.Date("from", from);
        var toDate = check.Date("to", to);
        if (fromDate is { } f && toDate is { } t && t < f) check.Add("to", "'to' is before 'from'.");
        if (!check.IsValid) return Problems.Invalid(check.Errors);
        return TypedResults.Ok(await conversions.ListAsync(campaignId, ambassadorId, fromDate, toDate, paging, cancellationToken));
    }

    private static async Task<Results<Ok<ConversionView>, ProblemHttpResult>> GetAsync(
        string externalId, ConversionService conversions, CancellationToken cancellationToken) =>
        externalId.Length <= MaxExternalIdLength && await conversions.FindAsync(externalId, cancellationToken) is { } conversion
            ? TypedResults.Ok(conversion)
            : Problems.NotFound($"No conversion with externalId '{Validation.Truncate(externalId)}'.");

    private static async Task<Results<Ok<ConversionView>, ProblemHttpResult>> ReverseAsync(
        string externalId, ReversalRequest? request, ConversionService conversions, CancellationToken cancellationToken)
    {
        var check = new Validation();
        var reason = check.Optional("reason", request?.Reason, 500, multiline: true);
        if (!check.IsValid) return Problems.Invalid(check.Errors);
        if (externalId.Length > MaxExternalIdLength) return Problems.NotFound($"No conversion with externalId '{Validation.Truncate(externalId)}'.");
        return await conversions.ReverseAsync(externalId, reason, cancellationToken) is { } conversion
            ? TypedResults.Ok(conversion)
            : Problems.NotFound($"No conversion with externalId '{Validation.Truncate(externalId)}'.");
    }
}
