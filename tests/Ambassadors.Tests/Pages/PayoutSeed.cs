using System.Net;
using System.Net.Http.Json;
using Ambassadors.Tests.Infrastructure;

namespace Ambassadors.Tests.Pages;

/// <summary>Money owed to ambassadors, set up through the public API with the admin key.</summary>
public static class PayoutSeed
{
    /// <summary>A valid Dutch IBAN (mod-97), as banks print in their examples.</summary>
    public const string Iban = "NL91ABNA0417164300";

    /// <summary>
    /// A campaign paying <paramref name="perLead"/> per lead with no holding period, one new member and
    /// <paramref name="leads"/> leads by referral code (approved at once); with <paramref name="withDetails"/>, bank details too.
    /// </summary>
    public static async Task<string> AmbassadorOwedAsync(HttpClient admin, decimal perLead, int leads = 1, bool withDetails = true,
        string currency = "EUR")
    {
        var (_, ambassadorId, code) = await admin.CampaignWithMemberAsync(currency: currency, rewards: new { perLead }, holdingPeriodDays: 0);
        for (var lead = 0; lead < leads; lead++)
        {
            var response = await admin.ConvertAsync(new
            {
                externalId = $"lead-{Guid.NewGuid():N}", kind = "lead", referralCode = code,
                occurredAt = DateTimeOffset.UtcNow.AddHours(-1),
            });
            await response.AssertJsonAsync(HttpStatusCode.Created);
        }
        if (withDetails) await SaveBankDetailsAsync(admin, ambassadorId);
        return ambassadorId;
    }

    public static async Task SaveBankDetailsAsync(HttpClient admin, string ambassadorId)
    {
        var response = await admin.PutAsJsonAsync($"/api/v1/ambassadors/{ambassadorId}/payout-details",
            new { method = "bank", legalName = "Anna de Vries", country = "NL", iban = Iban, bic = "ABNANL2A" });
        await response.AssertJsonAsync(HttpStatusCode.OK);
    }
}
