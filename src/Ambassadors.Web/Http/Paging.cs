using System.ComponentModel;

namespace Ambassadors.Web.Http;

/// <summary>A page of a list: the items, how many there are in all, and where the page starts.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Limit, int Offset);

public sealed record Paging(
    [property: Description("How many items per page, 1 to 200 (default 50).")] int? Limit,
    [property: Description("How many items to skip (default 0).")] int? Offset)
{
    public const int MaxLimit = 200;

    public int Take => Math.Clamp(Limit ?? 50, 1, MaxLimit);
    public int Skip => Math.Max(Offset ?? 0, 0);

    public Validation Check()
    {
        var check = new Validation();
        check.Range("limit", Limit, 1, MaxLimit);
        check.Range("offset", Offset, 0, int.MaxValue);
        return check;
    }
}
