using System.Net;
using System.Net.Http.Headers;
using Ambassadors.Web.Http;

namespace Ambassadors.Tests.Http;

/// <summary>Through real Kestrel (the in-memory test server has no request-line limit): a too-long address is a problem.</summary>
public sealed class LongAddressTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    [Theory]
    [InlineData(null)]
    [InlineData("text/html")]
    [InlineData("application/xml")]
    public async Task ATooLongAddressIsA414Problem(string? accept)
    {
        using var client = new HttpClient { BaseAddress = fixture.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AmbassadorsApp.AdminKey);
        if (accept is not null) client.DefaultRequestHeaders.Accept.ParseAdd(accept);
        foreach (var length in new[] { RequestTargets.Limit + 1, 20_000, RequestTargets.ServerLimit - 200 })
        {
            var problem = await (await client.GetAsync($"/api/v1/campaigns/{new string('x', length)}")).AssertProblemAsync(HttpStatusCode.RequestUriTooLong);
            Assert.Contains($"{RequestTargets.Limit}", problem["detail"].Str());
        }
        // At the limit the address is served as usual (here: an unknown campaign).
        var path = "/api/v1/campaigns/";
        await (await client.GetAsync(path + new string('x', RequestTargets.Limit - path.Length))).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
