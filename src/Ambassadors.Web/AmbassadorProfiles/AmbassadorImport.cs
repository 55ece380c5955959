using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Ambassadors.Data;
using Ambassadors.Web.Http;
using ClosedXML.Excel;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.AmbassadorProfiles;

/// <summary>A row of an uploaded list as written, with its line in the file (the header is line 1).</summary>
public sealed record ImportRow(int Line, string Name, string Email, string Country, string Network, string Handle, string Followers);

/// <summary>A refusal in the page's words: a key of AmbassadorTexts ("ImportError.…") and its arguments.</summary>
public sealed record ImportError(string Key, params object[] Args);

public sealed record CheckedRow(ImportRow Row, IReadOnlyList<ImportError> Errors);

/// <summary>One ambassador to create: the first row of their email, with the profiles of every row of it.</summary>
public sealed record ImportPerson(string Name, string Email, string? Country, List<SocialProfileRecord> Profiles);

/// <summary>What a preview found: every row with its errors, the people it would make, and a problem with the file as a whole.</summary>
public sealed record ImportPreview(IReadOnlyList<CheckedRow> Rows, IReadOnlyList<ImportPerson> People, ImportError? FileError)
{
    public int RowsWithErrors => Rows.Count(r => r.Errors.Count > 0);
    public bool CanImport => FileError is null && RowsWithErrors == 0 && People.Count > 0;
}

/// <summary>What the commit form carries back (protected, compressed): the checked people, the target campaign and an import id.</summary>
public sealed record ImportPayload(string ImportId, string FileName, string? CampaignId, IReadOnlyList<ImportPerson> People);

public enum ImportOutcome { Imported, AlreadyImported, Refused }

/// <summary>
/// Imports an existing ambassador list (.xlsx or CSV): read, check every row, then create everyone in one transaction
/// (and enrol them in a campaign within its capacity) or no one. Rules (docs/decisions.md, "Importing ambassadors"):
/// one social profile per row, more rows with the same email add profiles; an email that is already an ambassador's is an
/// error (edit that ambassador instead); at most <see cref="MaxRows"/> rows and <see cref="MaxBytes"/> bytes.
/// </summary>
public sealed class AmbassadorImport(IDbContextFactory<AppDbContext> contexts, IMembershipChanges changes, TimeProvider clock, IDataProtectionProvider protection)
{
    public const int MaxRows = 5_000;
    public const int MaxBytes = 5 * 1024 * 1024;
    public const string AuditAction = "ambassadors.imported";
    public static readonly string[] Columns = ["name", "email", "country", "network", "handle", "followers"];
    private static readonly TimeSpan PreviewLifetime = TimeSpan.FromHours(1);

    // ---- Reading ----

    /// <summary>The rows of an .xlsx (first sheet) or a CSV file (UTF-8, comma or semicolon, quoted fields), or why it cannot be read.</summary>
    public static (List<ImportRow> Rows, ImportError? Error) Read(Stream content, string fileName)
    {
        using var buffer = new MemoryStream();
        content.CopyTo(buffer);
        if (buffer.Length > MaxBytes) return ([], new ImportError("ImportError.TooBig", MaxBytes / 1024 / 1024));
        var bytes = buffer.ToArray();
        List<string[]> table;
        try
        {
            var zip = bytes.Length > 4 && bytes[0] == 'P' && bytes[1] == 'K';
            table = zip || fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) ? ReadXlsx(bytes) : ReadCsv(bytes);
        }
        catch (Exception e) when (e is not OutOfMemoryException) // whatever a damaged upload makes the readers throw
        {
            return ([], new ImportError("ImportError.Unreadable"));
        }
        table.RemoveAll(cells => cells.All(string.IsNullOrWhiteSpace));
        if (table.Count == 0) return ([], new ImportError("ImportError.Columns", "name, email"));
        var header = table[0].Select(h => h.Trim().ToLowerInvariant()).ToList();
        var missing = new[] { "name", "email" }.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0) return ([], new ImportError("ImportError.Columns", string.Join(", ", missing)));
        if (table.Count == 1) return ([], new ImportError("ImportError.Empty"));
        if (table.Count - 1 > MaxRows) return ([], new ImportError("ImportError.TooManyRows", MaxRows));
        string Cell(string[] cells, string column) => header.IndexOf(column) is var i and >= 0 && i < cells.Length ? cells[i] : "";
        var rows = table.Skip(1).Select((cells, i) => new ImportRow(i + 2, Cell(cells, "name"), Cell(cells, "email"), Cell(cells, "country"),
            Cell(cells, "network"), Cell(cells, "handle"), Cell(cells, "followers"))).ToList();
        return (rows, null);
    }

    private static List<string[]> ReadXlsx(byte[] bytes)
    {
        using var workbook = new XLWorkbook(new MemoryStream(bytes));
        var sheet = workbook.Worksheets.First();
        var used = sheet.RangeUsed();
        if (used is null) return [];
        var columns = used.LastColumn().ColumnNumber();
        var table = new List<string[]>();
        foreach (var row in sheet.Rows(1, used.LastRow().RowNumber()))
        {
            if (table.Count > MaxRows + 1) break;
            table.Add(Enumerable.Range(1, columns).Select(c => CellText(row.Cell(c))).ToArray());
        }
        return table;
    }

    private static string CellText(IXLCell cell) => cell.DataType switch
    {
        XLDataType.Number => cell.GetDouble().ToString("0.###############", CultureInfo.InvariantCulture),
        _ => cell.GetString(),
    };

    /// <summary>RFC 4180 with the delimiter Dutch Excel writes (;) or the usual one (,): whichever the header line has more of.</summary>
    private static List<string[]> ReadCsv(byte[] bytes)
    {
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        var firstLine = text.Split('\n', 2)[0];
        var delimiter = firstLine.Count(c => c == ';') > firstLine.Count(c => c == ',') ? ';' : ',';
        var table = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == delimiter) { row.Add(field.ToString()); field.Clear(); }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                row.Add(field.ToString()); field.Clear();
                table.Add([.. row]); row.Clear();
                if (table.Count > MaxRows + 1) return table;
            }
            else field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); table.Add([.. row]); }
        return table;
    }

    // ---- Checking ----

    /// <summary>Checks every row against the profile rules, the rest of the file and the ambassadors already stored.</summary>
    public async Task<ImportPreview> CheckAsync(IReadOnlyList<ImportRow> rows, string? campaignId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var emails = rows.Select(r => r.Email.Trim().ToLowerInvariant()).Where(e => e.Length > 0).Distinct().ToList();
        var existing = (await db.Ambassadors.AsNoTracking().Where(a => emails.Contains(a.NormalizedEmail)).Select(a => a.NormalizedEmail)
            .ToListAsync(cancellationToken)).ToHashSet();

        var checkedRows = new List<CheckedRow>();
        var people = new Dictionary<string, (int Line, ImportPerson Person)>(StringComparer.Ordinal);
        var profilesSeen = new Dictionary<(string, string, string), int>();
        foreach (var row in rows)
        {
            var errors = new List<ImportError>();
            var check = new Validation();
            var email = check.Email("email", row.Email);
            var normalized = email.ToLowerInvariant();
            if (!check.IsValid) errors.Add(new ImportError("ImportError.email", row.Email.Trim()));
            var first = check.IsValid && people.TryGetValue(normalized, out var earlier) ? earlier : default;

            var name = new Validation();
            var nameText = first.Person is not null && string.IsNullOrWhiteSpace(row.Name) ? first.Person.Name : name.Required("name", row.Name, ProfileRules.MaxName);
            if (!name.IsValid) errors.Add(new ImportError("ImportError.name"));
            string? country = null;
            if (!string.IsNullOrWhiteSpace(row.Country))
            {
                if (Countries.TryNormalize(row.Country, out var code)) country = code;
                else errors.Add(new ImportError("ImportError.country", row.Country.Trim()));
            }

            var text = new Validation();
            var network = text.Optional("network", row.Network, 50);
            var handle = text.Optional("handle", row.Handle, 100);
            if (!text.IsValid) errors.Add(new ImportError("ImportError.text"));
            long followers = 0;
            if (!string.IsNullOrWhiteSpace(row.Followers)
                && (!long.TryParse(row.Followers.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out followers) || followers > ProfileRules.MaxFollowers))
            {
                errors.Add(new ImportError("ImportError.followers", row.Followers.Trim()));
            }
            if ((network is null) != (handle is null) || (network is null && !string.IsNullOrWhiteSpace(row.Followers)))
            {
                errors.Add(new ImportError("ImportError.profile"));
            }

            if (check.IsValid)
            {
                if (existing.Contains(normalized)) errors.Add(new ImportError("ImportError.exists", email));
                var key = (normalized, network?.ToLowerInvariant() ?? "", handle?.ToLowerInvariant() ?? "");
                if (profilesSeen.TryGetValue(key, out var sameAs)) errors.Add(new ImportError("ImportError.duplicate", sameAs));
                else profilesSeen[key] = row.Line;
                if (first.Person is { } person)
                {
                    if (nameText != person.Name || (country is not null && country != person.Country))
                    {
                        errors.Add(new ImportError("ImportError.otherName", first.Line));
                    }
                    if (network is not null && person.Profiles.Count >= ProfileRules.MaxSocialProfiles)
                    {
                        errors.Add(new ImportError("ImportError.tooManyProfiles", ProfileRules.MaxSocialProfiles));
                    }
                }
            }
            if (errors.Count == 0)
            {
                if (first.Person is null)
                {
                    people[normalized] = (row.Line, new ImportPerson(nameText, email, country, []));
                    first = people[normalized];
                }
                if (network is not null) first.Person.Profiles.Add(new SocialProfileRecord(network.ToLowerInvariant(), handle!, followers));
            }
            checkedRows.Add(new CheckedRow(row, errors));
        }

        ImportError? fileError = null;
        if (campaignId is not null)
        {
            var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == campaignId, cancellationToken);
            if (campaign is null) fileError = new ImportError("ImportError.campaign");
            else if (campaign.Status == CampaignStatus.Ended) fileError = new ImportError("ImportError.ended");
            else if (campaign.Capacity is { } capacity && capacity - campaign.MemberCount < people.Count)
            {
                fileError = new ImportError("ImportError.full", Math.Max(capacity - campaign.MemberCount, 0), people.Count);
            }
        }
        return new ImportPreview(checkedRows, people.Values.Select(p => p.Person).ToList(), fileError);
    }

    // ---- Carrying the checked list to the commit ----

    public string Protect(ImportPayload payload)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, payload);
        }
        return Convert.ToBase64String(Protector().Protect(compressed.ToArray(), PreviewLifetime));
    }

    /// <summary>The payload, or null when it was changed, is too old, or is not one of ours.</summary>
    public ImportPayload? Unprotect(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        try
        {
            var bytes = Protector().Unprotect(Convert.FromBase64String(text));
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            return JsonSerializer.Deserialize<ImportPayload>(gzip);
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException or JsonException or InvalidDataException)
        {
            return null;
        }
    }

    private ITimeLimitedDataProtector Protector() => protection.CreateProtector("Ambassadors.AmbassadorImport.v1").ToTimeLimitedDataProtector();

    // ---- Committing ----

    /// <summary>
    /// Everyone or no one, in one transaction: the ambassadors, the campaign's places (one conditional update for all),
    /// their memberships and campaign links, and the audit entry. The import id makes a second click or a reload harmless.
    /// </summary>
    public async Task<(ImportOutcome Outcome, ImportError? Why)> CommitAsync(ImportPayload payload, ChangedBy by, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await AlreadyImportedAsync(db, payload.ImportId, cancellationToken)) return (ImportOutcome.AlreadyImported, null);
        var now = clock.GetUtcNow();
        var emails = payload.People.Select(p => p.Email.ToLowerInvariant()).ToList();
        if (await db.Ambassadors.Where(a => emails.Contains(a.NormalizedEmail)).Select(a => a.Email).FirstOrDefaultAsync(cancellationToken) is { } taken)
        {
            return (ImportOutcome.Refused, new ImportError("ImportError.exists", taken));
        }
        var ambassadors = payload.People.Select(p => new Ambassador
        {
            Id = Ids.New("amb"), Name = p.Name, Email = p.Email, NormalizedEmail = p.Email.ToLowerInvariant(), Country = p.Country,
            SocialProfiles = p.Profiles.Select(s => new SocialProfile { Network = s.Network, Handle = s.Handle, Followers = s.Followers }).ToList(),
            CreatedAt = now,
        }).ToList();

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Ambassadors.AddRange(ambassadors);
            if (payload.CampaignId is { } campaignId)
            {
                var count = ambassadors.Count;
                var reserved = await db.Campaigns
                    .Where(c => c.Id == campaignId && c.Status != CampaignStatus.Ended && (c.Capacity == null || c.MemberCount + count <= c.Capacity))
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(c => c.MemberCount, c => c.MemberCount + count)
                        .SetProperty(c => c.Version, c => c.Version + 1), cancellationToken);
                if (reserved == 0)
                {
                    var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == campaignId, cancellationToken);
                    return (ImportOutcome.Refused, campaign is null ? new ImportError("ImportError.campaign")
                        : campaign.Status == CampaignStatus.Ended ? new ImportError("ImportError.ended")
                        : new ImportError("ImportError.full", Math.Max((campaign.Capacity ?? 0) - campaign.MemberCount, 0), count));
                }
                foreach (var ambassador in ambassadors)
                {
                    var code = ReferralCodeFormat.Generate();
                    db.Memberships.Add(new Membership { CampaignId = campaignId, AmbassadorId = ambassador.Id, ReferralCode = code, JoinedAt = now });
                    db.ReferralCodes.Add(new ReferralCode { Code = code, AmbassadorId = ambassador.Id, CampaignId = campaignId, CreatedAt = now });
                }
            }
            db.AuditLog.Add(new AuditEntry
            {
                At = now, Actor = by.Actor, ActorName = by.Name, Action = AuditAction, EntityType = "import", EntityId = payload.ImportId,
                Details = $"{ambassadors.Count} ambassadors from \"{payload.FileName}\"" + (payload.CampaignId is { } c ? $", enrolled in {c}" : ""),
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                // A concurrent click of the same import, someone who got one of these emails meanwhile, or (rarely) a generated code taken.
                await transaction.RollbackAsync(cancellationToken);
                await using var fresh = await contexts.CreateDbContextAsync(cancellationToken);
                return await AlreadyImportedAsync(fresh, payload.ImportId, cancellationToken)
                    ? (ImportOutcome.AlreadyImported, null)
                    : (ImportOutcome.Refused, new ImportError("ImportError.exists", string.Join(", ", payload.People.Take(3).Select(p => p.Email))));
            }
        }
        if (payload.CampaignId is { } enrolled)
        {
            await ContentLinks.BackfillAsync(contexts, enrolled, now, cancellationToken);
            await changes.CampaignChangedAsync(enrolled);
        }
        return (ImportOutcome.Imported, null);
    }

    private static Task<bool> AlreadyImportedAsync(AppDbContext db, string importId, CancellationToken cancellationToken) =>
        db.AuditLog.AnyAsync(e => e.EntityType == "import" && e.EntityId == importId && e.Action == AuditAction, cancellationToken);

    // ---- The template ----

    public static byte[] TemplateCsv() => Encoding.UTF8.GetBytes(
        string.Join(',', Columns) + "\r\nAnna de Vries,anna@example.com,NL,instagram,@anna,12000\r\nAnna de Vries,anna@example.com,NL,tiktok,@anna.dv,3400\r\n");

    public static byte[] TemplateXlsx()
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet("Ambassadors");
        for (var i = 0; i < Columns.Length; i++) sheet.Cell(1, i + 1).Value = Columns[i];
        sheet.Row(1).Style.Font.Bold = true;
        object[][] samples = [["Anna de Vries", "anna@example.com", "NL", "instagram", "@anna", 12000], ["Anna de Vries", "anna@example.com", "NL", "tiktok", "@anna.dv", 3400]];
        for (var r = 0; r < samples.Length; r++)
        {
            for (var c = 0; c < samples[r].Length; c++) sheet.Cell(r + 2, c + 1).Value = samples[r][c];
        }
        // AdjustToContents needs libgdiplus (docs/decisions.md, "ClosedXML 0.95.4"): widths by hand.
        double[] widths = [24, 32, 10, 14, 18, 12];
        for (var i = 0; i < widths.Length; i++) sheet.Column(i + 1).Width = widths[i];
        using var output = new MemoryStream();
        workbook.SaveAs(output);
        return output.ToArray();
    }
}
