using System.Globalization;
using Ambassadors.Data;
using Ambassadors.Web.Http.Pages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Ambassadors.Web.Missions.Pages;

/// <summary>A mission's fields as typed in the form (text, so a refused value is shown back as it was typed).</summary>
public sealed class MissionForm
{
    public string? Title { get; set; }
    public string? Brief { get; set; }
    public string? StartsOn { get; set; }
    public string? DueOn { get; set; }
    public string? Bonus { get; set; }

    public static MissionForm Of(Mission m) => new()
    {
        Title = m.Title, Brief = m.Brief, StartsOn = m.StartsOn.ToString(IsoDates.Format, CultureInfo.InvariantCulture),
        DueOn = m.DueOn.ToString(IsoDates.Format, CultureInfo.InvariantCulture),
        Bonus = m.BonusMinor is { } b ? Currencies.FromMinor(b, m.Currency).ToString(CultureInfo.InvariantCulture) : null,
    };
}

/// <summary>
/// The create form (on a campaign's missions page) and the edit page share these fields and rules: the form is read into
/// a <see cref="MissionInput"/> and checked by <see cref="MissionService.Check"/>, as the API is, and each refused field
/// gets a message in the page's language beside it.
/// </summary>
public abstract class MissionFormPage(IStringLocalizer<MissionTexts> texts) : PageModel
{
    protected IStringLocalizer<MissionTexts> Texts { get; } = texts;

    public static readonly string[] Fields = ["title", "brief", "startsOn", "dueOn", "bonus"];

    [BindProperty] public MissionForm Form { get; set; } = new();
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);
    /// <summary>The currency the bonus is in (the campaign's).</summary>
    public string Currency { get; protected set; } = "EUR";

    public string? ErrorOf(string field) => Errors.GetValueOrDefault(field);

    /// <summary>The typed form as input, or null with <see cref="Errors"/> filled (unreadable dates and amounts, and the rules).</summary>
    protected MissionInput? Read()
    {
        DateOnly? Date(string field, string? typed)
        {
            if (string.IsNullOrWhiteSpace(typed)) return null;
            if (IsoDates.TryParse(typed.Trim(), out var date)) return date;
            Errors[field] = Message(field);
            return null;
        }
        var starts = Date("startsOn", Form.StartsOn);
        var due = Date("dueOn", Form.DueOn);
        decimal? bonus = null;
        if (!string.IsNullOrWhiteSpace(Form.Bonus))
        {
            if (decimal.TryParse(Form.Bonus.Trim().Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)) bonus = amount;
            else Errors["bonus"] = Message("bonus");
        }
        var input = new MissionInput(Form.Title, Form.Brief, starts, due, bonus);
        foreach (var (field, _) in MissionService.Check(input, Currency).Errors) Errors.TryAdd(field, Message(field));
        return Errors.Count == 0 ? input : null;
    }

    /// <summary>
    /// Reads the form and saves it with <paramref name="save"/> (make or change): on success <paramref name="saved"/> sets
    /// the flash and the mission's page opens; otherwise the form again (422), each refusal beside its field.
    /// </summary>
    protected async Task<IActionResult> SaveAsync(Func<MissionInput, Task<Result<Mission>>> save, Action<Mission> saved)
    {
        if (Read() is { } input)
        {
            var result = await save(input);
            if (result.Succeeded)
            {
                saved(result.Value!);
                return Redirect($"/manage/missions/{result.Value!.Id}");
            }
            if (result.Failure!.Kind == FailureKind.NotFound) return NotFound();
            Refused(result.Failure);
        }
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    /// <summary>The refusals of a command (its fields), beside the fields.</summary>
    protected void Refused(Failure failure)
    {
        foreach (var (field, _) in failure.FieldErrors) Errors.TryAdd(Fields.Contains(field) ? field : "title", Message(field));
    }

    private string Message(string field) => field == "bonus"
        ? Texts["Error.bonus", Currencies.DecimalsOf(Currency), Currency]
        : Texts[Fields.Contains(field) ? "Error." + field : "Error.other"];
}
