
namespace Ambassadors.Tests.Payouts;

/// <summary>Money owed to a new ambassador, set up through the public API with the admin key.</summary>
public static class PayoutSeed
{
    /// <summary>
    /// A campaign paying <paramref name="perLead"/> per lead with no holding period, one new member and
    /// <paramref name="leads"/> approved leads; with <paramref name="withDetails"/>, bank details too.
    /// </summary>
    public static async Task<string> AmbassadorOwedAsync(HttpClient admin, decimal perLead, int leads = 1, bool withDetails = true)
    {
        var (_, ambassadorId, code) = await admin.PayingCampaignAsync(perLead: perLead);
        await admin.LeadsAsync(code, leads);
        if (withDetails) await admin.BankDetailsAsync(ambassadorId);
        return ambassadorId;
    }
}
