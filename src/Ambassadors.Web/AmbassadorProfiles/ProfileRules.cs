using Ambassadors.Data;
using Ambassadors.Web.Http;

namespace Ambassadors.Web.AmbassadorProfiles;

/// <summary>
/// The checks of an ambassador's profile, shared by the API (POST and PATCH), the edit page and the import: one set of
/// rules, whoever changes a profile.
/// </summary>
public static class ProfileRules
{
    public const int MaxSocialProfiles = 20;
    public const int MaxName = 200;
    public const long MaxFollowers = 10_000_000_000;

    /// <summary>The social profiles as sent (null rows refused), networks lower-cased; errors under socialProfiles[i].field.</summary>
    public static List<SocialProfileRecord> SocialProfiles(Validation check, IReadOnlyList<SocialProfileRequest?>? requested)
    {
        var profiles = new List<SocialProfileRecord>();
        if (requested is { Count: > MaxSocialProfiles })
        {
            check.Add("socialProfiles", $"At most {MaxSocialProfiles} social profiles.");
        }
        foreach (var (profile, index) in (requested ?? []).Select((p, i) => (p, i)))
        {
            var prefix = $"socialProfiles[{index}]";
            if (profile is null)
            {
                check.Add(prefix, $"'{prefix}' is empty.");
                continue;
            }
            var network = check.Required($"{prefix}.network", profile.Network, 50);
            var handle = check.Required($"{prefix}.handle", profile.Handle, 100);
            if (profile.Followers is null) check.Add($"{prefix}.followers", $"'{prefix}.followers' is required.");
            check.Range($"{prefix}.followers", profile.Followers, 0, MaxFollowers);
            profiles.Add(new SocialProfileRecord(network.ToLowerInvariant(), handle, profile.Followers ?? 0));
        }
        return profiles;
    }

    /// <summary>An ISO 3166-1 alpha-2 code in any case, stored upper-case; null when not given.</summary>
    public static string? Country(Validation check, string? country)
    {
        if (string.IsNullOrWhiteSpace(country)) return null;
        if (Countries.TryNormalize(country, out var code)) return code;
        check.Add("country", $"'{Validation.Truncate(country)}' is not an ISO 3166-1 alpha-2 country code (such as NL or BE).");
        return null;
    }
}

/// <summary>What an edit changed, as the audit log's details ("name: Anna → Anna de Vries; country: – → NL").</summary>
public static class AmbassadorAudit
{
    public static string Difference(AmbassadorRecord before, AmbassadorRecord after)
    {
        var changes = new List<string>();
        void Field(string name, string? from, string? to)
        {
            if (!string.Equals(from, to, StringComparison.Ordinal)) changes.Add($"{name}: {from ?? "–"} → {to ?? "–"}");
        }
        Field("name", before.Name, after.Name);
        Field("email", before.Email, after.Email);
        Field("country", before.Country, after.Country);
        Field("socialProfiles", Profiles(before), Profiles(after));
        return string.Join("; ", changes);
    }

    private static string Profiles(AmbassadorRecord a) =>
        a.SocialProfiles.Count == 0 ? "none" : string.Join(", ", a.SocialProfiles.Select(p => $"{p.Network} {p.Handle} ({p.Followers})"));
}
