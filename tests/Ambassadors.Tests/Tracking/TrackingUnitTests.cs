using Ambassadors.Web.ReferralCodes;
using Ambassadors.Data;
using Ambassadors.Web.Conversions;
using Ambassadors.Web.Tracking;

namespace Ambassadors.Tests.Tracking;

public sealed class ClickIdTests
{
    [Fact]
    public void AClickIdCarriesItsTimeToTheMillisecondAndIsUnique()
    {
        var at = new DateTimeOffset(2026, 11, 23, 13, 45, 12, 345, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 1000).Select(_ => ClickIds.New(at)).ToList();

        Assert.Equal(1000, ids.Distinct().Count());
        Assert.All(ids, id =>
        {
            Assert.Matches("^clk_[0-9a-z]{26}$", id);
            Assert.True(ClickIds.TryParse(id, out var parsed));
            Assert.Equal(at, parsed);
        });
        // Later clicks sort after earlier ones.
        Assert.True(string.CompareOrdinal(ClickIds.New(at), ClickIds.New(at.AddMilliseconds(1))) < 0);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("clk_")]
    [InlineData("clk_123")]
    [InlineData("CLK_0000000000000000000000000a")]
    [InlineData("abc_0000000000000000000000000a")]
    [InlineData("clk_000000000000000000000000il")] // i and l are not in the alphabet
    [InlineData("clk_z000000000000000000000000a")] // more than 128 bits
    [InlineData("clk_0000000000000000000000000a0")] // too long
    public void MalformedClickIdsAreRefused(string? id) => Assert.False(ClickIds.TryParse(id, out _));

    [Fact]
    public void ClickAndVisitorIdsKeptAsNumbersReadBackAsTheSameText()
    {
        var at = DateTimeOffset.UtcNow;
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < 200; i++)
        {
            var id = ClickIds.New(at);
            Assert.True(ClickIds.TryParseValue(id, out var value));
            Assert.Equal(id, ClickIds.Format(value));

            RandomBytes.Fill(bytes);
            var visitor = Convert.ToHexStringLower(bytes);
            Assert.Equal(visitor, VisitorIds.Format(VisitorIds.Parse(visitor)));
        }
        Assert.Equal("00000000000000000000000000000001", VisitorIds.Format(1));
        Assert.Equal("ffffffffffffffffffffffffffffffff", VisitorIds.Format(UInt128.MaxValue));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0123456789abcdef0123456789abcde")] // 31
    [InlineData("0123456789ABCDEF0123456789ABCDEF")] // the cookie is lower case
    [InlineData("0123456789abcdef0123456789abcdeg")]
    [InlineData("0123456789abcdef0123456789abcdef0")]
    public void MalformedVisitorIdsAreRefused(string id)
    {
        Assert.False(VisitorIds.TryParse(id, out _));
        Assert.Throws<ArgumentException>(() => VisitorIds.Parse(id));
    }
}

public sealed class TrackedDestinationTests
{
    [Theory]
    [InlineData("https://shop.example/", "https://shop.example/?ref=ABC&click_id=clk_x")]
    [InlineData("https://shop.example/p?utm_source=amb", "https://shop.example/p?utm_source=amb&ref=ABC&click_id=clk_x")]
    [InlineData("https://shop.example/p?", "https://shop.example/p?ref=ABC&click_id=clk_x")]
    [InlineData("https://shop.example/p?a=1&ref=OLD&click_id=old&b=2", "https://shop.example/p?a=1&b=2&ref=ABC&click_id=clk_x")]
    [InlineData("https://shop.example/p?referrer=x#section", "https://shop.example/p?referrer=x&ref=ABC&click_id=clk_x#section")]
    [InlineData("https://shop.example/p#a?b", "https://shop.example/p?ref=ABC&click_id=clk_x#a?b")]
    public void RefAndClickIdAreAddedBeforeTheFragmentKeepingTheRestOfTheQuery(string destination, string expected) =>
        Assert.Equal(expected, Redirect.WithTracking(destination, "ABC", "clk_x"));
}

public sealed class RewardMathTests
{
    [Theory]
    [InlineData(12.345, "EUR", 1235)]   // half away from zero
    [InlineData(-12.345, "EUR", -1235)]
    [InlineData(999.5, "JPY", 1000)]
    [InlineData(1.0005, "BHD", 1001)]
    [InlineData(0, "EUR", 0)]
    public void AmountsBecomeMinorUnitsRoundedOnce(double amount, string currency, long minor) =>
        Assert.Equal(minor, Rewards.ToMinor((decimal)amount, currency));

    [Theory]
    [InlineData(1235, "EUR", "12.35")]
    [InlineData(1000, "JPY", "1000")]
    [InlineData(1001, "BHD", "1.001")]
    [InlineData(500, "EUR", "5.00")]
    public void MinorUnitsReadBackWithTheCurrencysDecimals(long minor, string currency, string expected) =>
        Assert.Equal(expected, Rewards.FromMinor(minor, currency).ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void ARetryWrittenDifferentlyHasTheSameFingerprint()
    {
        ConversionInput Input(decimal amount, string? customer = null) =>
            new("order-1", Ambassadors.Data.ConversionKind.Sale, amount, "EUR", "ABC", null, customer, null);
        Assert.Equal(Input(25m).Fingerprint(), Input(25.00m).Fingerprint());
        Assert.NotEqual(Input(25m).Fingerprint(), Input(25.01m).Fingerprint());
        Assert.NotEqual(Input(25m).Fingerprint(), Input(25m, "c1").Fingerprint());
    }
}

public sealed class RandomBytesTests
{
    [Fact]
    public void Draws_across_many_buffer_refills_never_repeat_and_are_not_blank()
    {
        var seen = new HashSet<string>();
        Span<byte> draw = stackalloc byte[16];
        for (var i = 0; i < 5_000; i++) // 80,000 bytes: about twenty refills of the 4 KB buffer
        {
            RandomBytes.Fill(draw);
            Assert.True(seen.Add(Convert.ToHexString(draw)), $"draw {i} repeated");
        }
        Assert.DoesNotContain(new string('0', 32), seen);
    }

    [Fact]
    public void A_draw_larger_than_the_buffer_is_filled_too()
    {
        var large = new byte[10_000];
        RandomBytes.Fill(large);
        Assert.True(large.Count(b => b == 0) < 200);
    }
}

public sealed class BackgroundThreadTests
{
    [SkippableFact]
    public void TheCollectorsFlushThreadRunsBelowTheRedirectsPriority()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "Thread priorities are set on Linux only.");
        var mine = Nice();
        int? before = null, after = null;
        var thread = new Thread(() =>
        {
            before = Nice();
            BackgroundThreads.Yield();
            after = Nice();
        });
        thread.Start();
        thread.Join();
        Assert.Equal(mine, before); // a new thread starts at its creator's
        Assert.Equal(Math.Min(19, mine + 5), after);
        Assert.Equal(mine, Nice()); // only the flush's own thread
    }

    /// <summary>The calling thread's nice value, the 19th field of /proc/thread-self/stat.</summary>
    private static int Nice()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
    }
}
