namespace Ambassadors.Bench;

/// <summary>
/// The baseline: a minimal ASP.NET Core app on Kestrel (slim builder, routing, one endpoint) answering
/// GET /r/{code} with 302 and a Location header. Nothing else: no cookies, no lookups, no recording.
/// </summary>
public static class BaselineServer
{
    public static async Task RunAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapGet("/r/{code}", (string code) => Results.Redirect("https://shop.example/?ref=" + Uri.EscapeDataString(code)));
        await app.RunAsync(cancellationToken);
    }
}
