using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Ambassadors.Web.Tracking;

[Flags]
public enum ClickFlags : byte
{
    None = 0,
    /// <summary>A known bot, link-preview fetcher or HEAD request: counted only as a bot click.</summary>
    Bot = 1,
    NewForAmbassador = 2,
    NewForCampaign = 4,
    NewForContent = 8,
    /// <summary>Set by the collector's spam guard when it counts the click.</summary>
    Flagged = 16,
}

/// <summary>
/// One click as the collector keeps it from the redirect until its row is written: a struct in reused arrays
/// (<see cref="ClickBatch"/>), holding its click and visitor ids as their 128-bit values and otherwise only references to
/// objects that outlive it (the cached link's target, the address's cached hash, the shared user agent). A click lives
/// about a second, from the redirect through the next flush to the end of its insert; as heap objects (an event, two id
/// strings, an entity) they outlived the young collections, were copied up, and filled gen2 every second: those pauses were
/// the redirect's tail (docs/decisions.md, "The tail, third look"). The text of the ids is made only as the row is written.
/// </summary>
[StructLayout(LayoutKind.Auto)]
public struct ClickRecord(UInt128 clickId, CodeTarget target, UInt128 visitorId, DateTimeOffset at, ClickFlags flags, string? addressHash, string? userAgent)
{
    public readonly UInt128 ClickId = clickId;
    public readonly UInt128 VisitorId = visitorId;
    public readonly CodeTarget Target = target;
    public readonly long AtUtcTicks = at.UtcTicks;
    public readonly string? AddressHash = addressHash;
    public readonly string? UserAgent = userAgent;
    public ClickFlags Flags = flags;

    public readonly DateTimeOffset At => new(AtUtcTicks, TimeSpan.Zero);
    public readonly bool IsBot => Is(ClickFlags.Bot);
    public readonly bool Flagged => Is(ClickFlags.Flagged);
    public readonly bool Is(ClickFlags flag) => (Flags & flag) != 0;

    public static ClickFlags FlagsOf(bool isBot, bool newForAmbassador, bool newForCampaign, bool newForContent) =>
        (isBot ? ClickFlags.Bot : 0) | (newForAmbassador ? ClickFlags.NewForAmbassador : 0)
        | (newForCampaign ? ClickFlags.NewForCampaign : 0) | (newForContent ? ClickFlags.NewForContent : 0);
}

/// <summary>
/// Visitor ids: 32 lower-case hex characters, the <c>amb_vid</c> cookie's value (16 random bytes), kept by the collector as
/// their 128-bit value.
/// </summary>
public static class VisitorIds
{
    public const int Length = 32;

    public static bool TryParse(ReadOnlySpan<char> id, out UInt128 value)
    {
        value = 0;
        if (id.Length != Length) return false;
        Span<byte> bytes = stackalloc byte[16];
        foreach (var c in id)
        {
            if (!char.IsAsciiHexDigitLower(c)) return false;
        }
        if (Convert.FromHexString(id, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != 16) return false;
        value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return true;
    }

    public static UInt128 Parse(string id) =>
        TryParse(id, out var value) ? value : throw new ArgumentException($"'{id}' is not a visitor id (32 lower-case hex characters).", nameof(id));

    /// <summary>Writes the id's <see cref="Length"/> characters to the start of <paramref name="destination"/>.</summary>
    public static void Format(UInt128 value, Span<char> destination)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        Convert.TryToHexStringLower(bytes, destination, out _);
    }

    public static string Format(UInt128 value)
    {
        Span<char> chars = stackalloc char[Length];
        Format(value, chars);
        return new string(chars);
    }
}

/// <summary>
/// Clicks in one array, reused: the collector's inbox fills one while the last is aggregated and written, and a written
/// batch goes back to the collector for the next second's clicks (<see cref="ClickCollector"/>).
/// </summary>
public sealed class ClickBatch(int capacity = 1_024)
{
    private ClickRecord[] _items = new ClickRecord[Math.Max(capacity, 16)];

    public int Count { get; private set; }

    public int Capacity => _items.Length;

    public Span<ClickRecord> Items => _items.AsSpan(0, Count);

    public ref ClickRecord this[int index] => ref _items[index];

    public void Add(in ClickRecord click)
    {
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[Count++] = click;
    }

    public void AddRange(ReadOnlySpan<ClickRecord> clicks)
    {
        foreach (ref readonly var click in clicks) Add(click);
    }

    /// <summary>Empties the batch, dropping its references (the array itself is kept).</summary>
    public void Clear()
    {
        Array.Clear(_items, 0, Count);
        Count = 0;
    }
}
