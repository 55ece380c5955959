using System.Globalization;
using System.Numerics;

namespace Ambassadors.Cli.Demo;

/// <summary>How much the demo loads: the full programmes, or a tenth of them (for tests).</summary>
internal sealed record DemoSize(string Name, int Applicants, int Agents, int Members, int FordClicks, int VogueClicks)
{
    public static readonly DemoSize Full = new("full", 4_000, 100, 1_000, 30_000, 6_000);
    public static readonly DemoSize Small = new("small", 400, 20, 100, 3_000, 600);

    public static DemoSize Parse(string? name) => name switch
    {
        null or "full" => Full,
        "small" => Small,
        _ => throw new CliException(ExitCodes.InvalidInput, $"--size must be full or small, not '{name}'."),
    };
}

/// <summary>
/// The demo's invented people and numbers, all drawn from one seeded random generator: the same command on the same day
/// loads the same names, countries, followers, clicks and sales (only generated ids and codes differ).
/// </summary>
internal sealed class DemoWorld(int seed, string emailTag)
{
    private static readonly string[] FirstNames =
    [
        "Anna", "Sophie", "Emma", "Julia", "Lotte", "Sanne", "Eva", "Lisa", "Noor", "Fleur", "Marie", "Camille", "Léa", "Chloé",
        "Hannah", "Lena", "Mia", "Clara", "Olivia", "Amelia", "Grace", "Freya", "Isla", "Elena", "Sara", "Yara", "Amira", "Ines",
        "Daan", "Sem", "Lucas", "Milan", "Thomas", "Jesse", "Bram", "Ruben", "Louis", "Hugo", "Jules", "Arthur", "Noah", "Finn",
        "Jonas", "Felix", "Paul", "Oliver", "Harry", "Jack", "George", "Leo", "Omar", "Youssef", "Mateo", "Luca", "Ali", "Kofi",
    ];

    private static readonly string[] LastNames =
    [
        "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
        "Hendriks", "van Dijk", "Dekker", "Peeters", "Maes", "Jacobs", "Willems", "Claes", "Goossens", "Wouters", "Dubois",
        "Martin", "Bernard", "Moreau", "Laurent", "Lefebvre", "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner",
        "Becker", "Hoffmann", "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Walker", "El Amrani", "Yilmaz",
        "Rossi", "Garcia", "Kowalski", "Novak", "Andersen", "Nielsen",
    ];

    private static readonly (string Code, int Weight)[] Countries =
        [("NL", 30), ("BE", 15), ("DE", 20), ("GB", 15), ("FR", 12), ("ES", 4), ("IT", 4)];

    private static readonly string[] Networks = ["instagram", "tiktok", "youtube", "x", "facebook", "blog"];

    public Random Random { get; } = new(seed);
    public string EmailTag { get; } = emailTag;
    private readonly HashSet<string> _emails = new(StringComparer.Ordinal);

    public double NextDouble() => Random.NextDouble();

    public int Next(int maxExclusive) => Random.Next(maxExclusive);

    public int Next(int minInclusive, int maxExclusive) => Random.Next(minInclusive, maxExclusive);

    public T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];

    public string Name() => $"{Pick(FirstNames)} {Pick(LastNames)}";

    /// <summary>A unique email for the name, at example.com (a reserved domain: the outbox never reaches anyone).</summary>
    public string EmailFor(string name)
    {
        var local = new string(name.ToLowerInvariant().Normalize(System.Text.NormalizationForm.FormD)
            .Where(c => char.IsAsciiLetterLower(c) || c == ' ').ToArray()).Replace(' ', '.');
        for (var n = 1; ; n++)
        {
            var email = $"{local}{(n == 1 ? "" : n.ToString(CultureInfo.InvariantCulture))}{EmailTag}@example.com";
            if (_emails.Add(email)) return email;
        }
    }

    /// <summary>A demo account's email (agent@demo.example), tagged like the others on a second load.</summary>
    public string Account(string local) => $"{local}{EmailTag}@demo.example";

    public string Country()
    {
        var total = Countries.Sum(c => c.Weight);
        var draw = Random.Next(total);
        foreach (var (code, weight) in Countries)
        {
            if (draw < weight) return code;
            draw -= weight;
        }
        return "NL";
    }

    /// <summary>Followers on a log scale: most have hundreds to a few thousand, a few hundreds of thousands.</summary>
    public long Followers(double boost = 0)
    {
        var exponent = 2.2 + 1.2 * Gaussian() + boost;
        return (long)Math.Round(Math.Pow(10, Math.Clamp(exponent, 1.5, 6.3)));
    }

    public string Network() => Pick(Networks);

    public string Handle(string name) =>
        "@" + new string(name.ToLowerInvariant().Where(char.IsAsciiLetterLower).ToArray()) + (Random.Next(3) == 0 ? Random.Next(10, 99).ToString(CultureInfo.InvariantCulture) : "");

    /// <summary>A standard normal draw (Box-Muller).</summary>
    public double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - Random.NextDouble())) * Math.Cos(2 * Math.PI * Random.NextDouble());

    /// <summary>Minutes until something follows, exponentially distributed around <paramref name="meanMinutes"/>.</summary>
    public double Exponential(double meanMinutes) => -meanMinutes * Math.Log(1 - Random.NextDouble());

    /// <summary>A Dutch IBAN with correct check digits (ISO 13616 mod 97) at a made-up bank code.</summary>
    public string DutchIban()
    {
        var account = string.Concat(Enumerable.Range(0, 10).Select(_ => (char)('0' + Random.Next(10))));
        var bban = "DEMO" + account;
        var numeric = string.Concat((bban + "NL00").Select(c => char.IsAsciiLetter(c) ? (c - 'A' + 10).ToString(CultureInfo.InvariantCulture) : c.ToString()));
        var check = 98 - (int)(BigInteger.Parse(numeric, CultureInfo.InvariantCulture) % 97);
        return $"NL{check:00}{bban}";
    }
}
