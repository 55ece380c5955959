using System.Globalization;
using Ambassadors.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Recruitment.Pages;

/// <summary>A social profile row of the form, as typed.</summary>
public sealed class ProfileInput
{
    public string? Network { get; set; }
    public string? Handle { get; set; }
    public string? Followers { get; set; }
    public string? EngagementRate { get; set; }

    public bool IsEmpty => string.IsNullOrWhiteSpace(Handle) && string.IsNullOrWhiteSpace(Followers) && string.IsNullOrWhiteSpace(EngagementRate);
}

/// <summary>
/// The public application form of a campaign (no sign-in). Every field is checked, errors next to it. A second
/// application with the same email, and a form whose hidden honeypot field is filled, get the same thank-you page as a
/// first one and store nothing. Each client address may post so many forms a minute (<c>Ambassadors:RateLimits:ApplyPerMinute</c>).
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RecruitmentSetup.ApplyRateLimit)]
public sealed class ApplyModel(AppDbContext db, TimeProvider clock, IStringLocalizer<RecruitmentTexts> T) : PageModel
{
    public const int ProfileRows = 4;
    public const int MaxSamples = 10;
    public static readonly IReadOnlyList<string> Networks = ["instagram", "tiktok", "youtube", "x", "facebook", "linkedin", "twitch", "pinterest", "blog", "other"];

    public Campaign? Campaign { get; private set; }
    public bool Open => Campaign?.Status is CampaignStatus.Recruiting or CampaignStatus.Active;
    public bool Thanks { get; private set; }

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Country { get; set; }
    [BindProperty] public List<ProfileInput> Profiles { get; set; } = [];
    [BindProperty] public string? Motivation { get; set; }
    [BindProperty] public string? Samples { get; set; }
    [BindProperty] public bool Consent { get; set; }
    /// <summary>The honeypot: hidden from people by the stylesheet, filled in by form-filling robots.</summary>
    [BindProperty] public string? Website { get; set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(string campaignId, bool? sent)
    {
        if (!await FindAsync(campaignId)) return NotFound();
        Thanks = sent == true;
        Profiles = [.. Enumerable.Range(0, ProfileRows).Select(_ => new ProfileInput())];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string campaignId)
    {
        if (!await FindAsync(campaignId)) return NotFound();
        if (!Open) return Page();
        var thanks = RedirectToPage(new { campaignId, sent = true });
        if (!string.IsNullOrEmpty(Website)) return thanks;

        var application = Check();
        while (Profiles.Count < ProfileRows) Profiles.Add(new ProfileInput());
        if (application is null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        // One application per email and campaign: a second one is thanked the same way and changes nothing.
        await Intake.SubmitAsync(db, Campaign!.Id, [application], HttpContext.RequestAborted);
        return thanks;
    }

    private async Task<bool> FindAsync(string campaignId)
    {
        Campaign = Ids.LooksLike(campaignId, "cmp")
            ? await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == campaignId)
            : null;
        return Campaign is not null;
    }

    /// <summary>The application the form describes, or null with <see cref="Errors"/> filled in.</summary>
    private Application? Check()
    {
        var name = Text("Name", Name, 200, required: true);
        var email = Text("Email", Email, EmailAddresses.MaxLength, required: true);
        if (email.Length > 0 && !Errors.ContainsKey("Email") && !EmailAddresses.IsValid(email)) Errors["Email"] = T["Error.Email"];
        if (!Countries.TryNormalize(Country, out var country)) Errors["Country"] = T[string.IsNullOrWhiteSpace(Country) ? "Error.CountryMissing" : "Error.Country"];

        var profiles = new List<ApplicantProfile>();
        for (var i = 0; i < Profiles.Count && i < ProfileRows; i++)
        {
            var row = Profiles[i];
            if (row is null || row.IsEmpty) continue;
            var key = $"Profiles[{i}]";
            var network = (row.Network ?? "").Trim().ToLowerInvariant();
            if (!Networks.Contains(network)) Errors[$"{key}.Network"] = T["Error.Network"];
            var handle = Text($"{key}.Handle", row.Handle, 100, required: true);
            long followers = 0;
            if (!long.TryParse(row.Followers?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out followers) || followers > 10_000_000_000)
            {
                Errors[$"{key}.Followers"] = T["Error.Followers"];
            }
            decimal? rate = null;
            if (!string.IsNullOrWhiteSpace(row.EngagementRate))
            {
                var typed = row.EngagementRate.Trim().TrimEnd('%').Trim().Replace(',', '.');
                if (decimal.TryParse(typed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var r) && r <= 100 && decimal.Round(r, 2) == r)
                {
                    rate = r;
                }
                else
                {
                    Errors[$"{key}.EngagementRate"] = T["Error.EngagementRate"];
                }
            }
            profiles.Add(new ApplicantProfile { Network = network, Handle = handle, Followers = followers, EngagementRate = rate });
        }
        if (profiles.Count == 0 && !Errors.Keys.Any(k => k.StartsWith("Profiles", StringComparison.Ordinal))) Errors["Profiles"] = T["Error.NoProfile"];

        var motivation = Text("Motivation", Motivation, 4000, required: true, multiline: true);
        var samples = new List<string>();
        var lines = (Samples ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length > MaxSamples) Errors["Samples"] = T["Error.SamplesCount", MaxSamples];
        foreach (var line in lines)
        {
            if (line.Length > 2048 || PlainText.HasControlCharacters(line) || !Uri.TryCreate(line, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                Errors.TryAdd("Samples", T["Error.Sample", line.Length > 60 ? line[..60] + "…" : line]);
            }
            samples.Add(line);
        }
        if (!Consent) Errors["Consent"] = T["Error.Consent"];
        if (Errors.Count > 0) return null;

        return Intake.New(Campaign!, name, email, country, profiles, motivation, samples, clock.GetUtcNow());
    }

    /// <summary>A text as typed: control characters refused (line breaks allowed when multi-line), trimmed, then its length.</summary>
    private string Text(string field, string? value, int maxLength, bool required, bool multiline = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) Errors[field] = T["Error.Required"];
            return "";
        }
        if (PlainText.HasControlCharacters(value, multiline))
        {
            Errors[field] = T[multiline ? "Error.ControlMultiline" : "Error.Control"];
            return "";
        }
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength) Errors[field] = T["Error.TooLong", maxLength, trimmed.Length];
        return trimmed;
    }
}
