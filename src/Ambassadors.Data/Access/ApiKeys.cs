using System.Security.Cryptography;
using System.Text;

namespace Ambassadors.Data;

/// <summary>Makes API keys: a random secret shown once, stored only as its SHA-256.</summary>
public static class ApiKeys
{
    private const string SecretPrefix = "amk_";

    public static (ApiKey Record, string Secret) Create(string name, ApiKeyRole role, TimeProvider clock)
    {
        var secret = SecretPrefix + Base62(RandomNumberGenerator.GetBytes(30));
        var record = new ApiKey
        {
            Id = Ids.New("key"),
            Name = name,
            Role = role,
            KeyHash = Hash(secret),
            Prefix = secret[..10],
            CreatedAt = clock.GetUtcNow(),
        };
        return (record, secret);
    }

    /// <summary>Keys are 180 random bits, so a plain hash cannot be brute-forced; no salt is needed.</summary>
    public static string Hash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>The role names as the API and the command line spell them: admin, manager, finance, merchant.</summary>
    public static readonly IReadOnlyList<string> RoleNames = Enum.GetValues<ApiKeyRole>().Select(r => r.Name()).ToArray();

    public static bool TryParseRole(string? value, out ApiKeyRole role) => EnumNames.TryParse(value, out role);

    private static string Base62(byte[] bytes)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var builder = new StringBuilder();
        var value = new System.Numerics.BigInteger(bytes, isUnsigned: true);
        while (value > 0)
        {
            builder.Append(alphabet[(int)(value % 62)]);
            value /= 62;
        }
        return builder.ToString();
    }
}

/// <summary>Opaque ids with a readable, non-hex prefix (Orleans' ADO.NET key quirk: an all-hex string key is stored as a number).</summary>
public static class Ids
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static string New(string prefix)
    {
        Span<char> chars = stackalloc char[16];
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        for (var i = 0; i < chars.Length; i++) chars[i] = Alphabet[random[i] % Alphabet.Length];
        return $"{prefix}_{chars}";
    }

    /// <summary>True when the text could be an id we issued with that prefix (cheap guard before a grain call).</summary>
    public static bool LooksLike(string? id, string prefix) =>
        id is { Length: > 0 and <= 40 } && id.StartsWith(prefix + "_", StringComparison.Ordinal)
        && id.AsSpan(prefix.Length + 1).IndexOfAnyExcept(Alphabet) < 0;
}
