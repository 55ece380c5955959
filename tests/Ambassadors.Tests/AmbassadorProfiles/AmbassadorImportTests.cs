using System.Net;
using System.Text;
using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Tests.AmbassadorProfiles;

/// <summary>Importing an ambassador list through the page: preview with each row's errors, then all or nothing.</summary>
public abstract class AmbassadorImportTests(EngineFixture fixture)
{
    private AmbassadorsApp App => fixture.App;

    [SkippableFact]
    public async Task AFileWithOneBadRowImportsNothingAndShowsThatRowsErrorBesideIt()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var existing = $"known.{tag}@example.com";
        await PeopleSeed.AmbassadorAsync(App.Admin(), "Known Person", existing);
        var csv = $"""
            name,email,country,network,handle,followers
            Eva {tag},eva.{tag}@example.com,NL,instagram,@eva,1200
            Finn {tag},finn.{tag}.example.com,NL,instagram,@finn,800
            Gijs {tag},gijs.{tag}@example.com,XY,instagram,@gijs,12k
            Eva {tag},eva.{tag}@example.com,NL,instagram,@eva,1200
            ,noname.{tag}@example.com,,,,
            Known,{existing},BE,,,
            """;
        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");

        var preview = await PeopleSeed.UploadAsync(manager, Encoding.UTF8.GetBytes(csv), "list.csv");
        var html = WebUtility.HtmlDecode(await preview.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, preview.StatusCode);
        Assert.Contains("Rows: 6 · ambassadors to import: 1 · rows with errors: 5", html);
        Assert.Contains(">ok<", Row(html, 2));
        Assert.Contains($"\"finn.{tag}.example.com\" is not a valid email address.", Row(html, 3));
        Assert.Contains("\"XY\" is not a country code", Row(html, 4));
        Assert.Contains("Followers \"12k\" is not a whole number from 0 up.", Row(html, 4));
        Assert.Contains("Same profile as row 2.", Row(html, 5));
        Assert.Contains("Name is missing", Row(html, 6));
        Assert.Contains($"{existing} is already an ambassador.", Row(html, 7));
        Assert.DoesNotContain("data-testid=\"commit\"", html);
        Assert.Contains("Nothing is imported while a row has an error", html);
        await using var db = App.Db();
        Assert.False(await db.Ambassadors.AnyAsync(a => a.NormalizedEmail == $"eva.{tag}@example.com"));
    }

    [SkippableFact]
    public async Task ACleanWorkbookImportsEveryRowOnceAndEnrolsEveryoneWithinCapacity()
    {
        var admin = App.Admin();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var campaign = (await admin.CreateCampaignAsync(capacity: 3, name: $"Import {tag}"))["id"].Str();
        await admin.PostJsonAsync($"/api/v1/campaigns/{campaign}/content", new { title = "Launch video" });
        var workbook = Workbook(
            ["Hanna " + tag, $"hanna.{tag}@example.com", "nl", "instagram", "@hanna", 4000],
            ["Hanna " + tag, $"Hanna.{tag}@example.com", "", "tiktok", "@hanna.t", 2500],
            ["Ivo " + tag, $"ivo.{tag}@example.com", "DE", "", "", ""],
            ["Jet " + tag, $"jet.{tag}@example.com", "BE", "youtube", "jetvlogt", 900]);
        var (manager, email) = await StaffBrowser.SignedInAsync(App, "manager");

        var preview = await PeopleSeed.UploadAsync(manager, workbook, "people.xlsx", campaign);
        var html = WebUtility.HtmlDecode(await preview.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Contains("Rows: 4 · ambassadors to import: 3 · rows with errors: 0", html);
        Assert.Contains($"Everyone will be added to Import {tag}.", html);
        Assert.Contains(">Import the ambassadors (3)<", html);

        var committed = await PeopleSeed.CommitAsync(manager, html);
        Assert.Equal(HttpStatusCode.Redirect, committed.StatusCode);
        Assert.Contains($"Ambassadors imported and added to Import {tag}: 3.", await manager.GetPageAsync("/manage/ambassadors/import"));
        var again = await PeopleSeed.CommitAsync(manager, html); // a second click, or the form sent again
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Contains("This file was already imported; nothing was imported again.", await manager.GetPageAsync("/manage/ambassadors/import"));

        await using var db = App.Db();
        var imported = await db.Ambassadors.AsNoTracking().Where(a => a.Name.EndsWith(tag)).ToListAsync();
        Assert.Equal(3, imported.Count);
        var hanna = imported.Single(a => a.Name.StartsWith("Hanna"));
        Assert.Equal("NL", hanna.Country);
        Assert.Equal(6500, hanna.SocialProfiles.Sum(p => p.Followers));
        Assert.Empty(imported.Single(a => a.Name.StartsWith("Ivo")).SocialProfiles);
        var ids = imported.Select(a => a.Id).ToList();
        Assert.Equal(3, await db.Memberships.CountAsync(m => m.CampaignId == campaign && ids.Contains(m.AmbassadorId)));
        Assert.Equal(6, await db.ReferralCodes.CountAsync(c => c.CampaignId == campaign && ids.Contains(c.AmbassadorId))); // campaign link + piece each
        Assert.Equal(3, (await (await admin.GetAsync($"/api/v1/campaigns/{campaign}")).AssertJsonAsync(HttpStatusCode.OK))["members"]!.GetValue<int>());
        var audit = await db.AuditLog.Where(e => e.Action == "ambassadors.imported" && e.ActorName == email).SingleAsync();
        Assert.Contains("3 ambassadors from \"people.xlsx\"", audit.Details);

        // The campaign is now full: a next file is refused in the preview with the numbers.
        var full = await PeopleSeed.UploadAsync(manager, Workbook(["Kees " + tag, $"kees.{tag}@example.com", "NL", "", "", ""]), "more.xlsx", campaign);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, full.StatusCode);
        Assert.Contains("The campaign is too full: free places 0, ambassadors in the file 1.", WebUtility.HtmlDecode(await full.Content.ReadAsStringAsync()));
    }

    [SkippableFact]
    public async Task ASemicolonCsvFromDutchExcelWithQuotedFieldsImports()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var csv = "\uFEFFName;Email;Country;Network;Handle;Followers\r\n" +
                  $"\"Visser; Lieke {tag}\";lieke.{tag}@example.com;NL;instagram;\"@lieke \"\"lv\"\"\";1500\r\n" +
                  $"Mila {tag};mila.{tag}@example.com;be;;;\r\n";
        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");
        var preview = await PeopleSeed.UploadAsync(manager, Encoding.UTF8.GetBytes(csv), "leden.csv");
        var html = WebUtility.HtmlDecode(await preview.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Contains("Rows: 2 · ambassadors to import: 2 · rows with errors: 0", html);
        Assert.Equal(HttpStatusCode.Redirect, (await PeopleSeed.CommitAsync(manager, html)).StatusCode);
        await using var db = App.Db();
        var lieke = await db.Ambassadors.AsNoTracking().SingleAsync(a => a.NormalizedEmail == $"lieke.{tag}@example.com");
        Assert.Equal($"Visser; Lieke {tag}", lieke.Name);
        Assert.Equal("@lieke \"lv\"", Assert.Single(lieke.SocialProfiles).Handle);
        Assert.Equal("BE", (await db.Ambassadors.AsNoTracking().SingleAsync(a => a.NormalizedEmail == $"mila.{tag}@example.com")).Country);
    }

    [SkippableTheory]
    [InlineData("xlsx")]
    [InlineData("csv")]
    public async Task TheTemplateRoundTripsDownloadedFilledAndUploaded(string format)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");
        var download = await manager.GetAsync($"/manage/ambassadors/import/template.{format}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        var template = await download.Content.ReadAsByteArrayAsync();

        byte[] filled;
        if (format == "xlsx")
        {
            using var workbook = new XLWorkbook(new MemoryStream(template));
            var sheet = workbook.Worksheets.First();
            Assert.Equal("name", sheet.Cell(1, 1).GetString());
            Assert.True(sheet.Column(2).Width >= 20, "The email column has its own width (AdjustToContents is unavailable).");
            sheet.Cell(2, 2).Value = $"anna.{tag}@example.com";
            sheet.Cell(3, 2).Value = $"anna.{tag}@example.com";
            sheet.Cell(4, 1).Value = $"Bo {tag}";
            sheet.Cell(4, 2).Value = $"bo.{tag}@example.com";
            using var output = new MemoryStream();
            workbook.SaveAs(output);
            filled = output.ToArray();
        }
        else
        {
            var text = Encoding.UTF8.GetString(template).Replace("anna@example.com", $"anna.{tag}@example.com");
            filled = Encoding.UTF8.GetBytes(text + $"Bo {tag},bo.{tag}@example.com,,,,\r\n");
        }
        var preview = await PeopleSeed.UploadAsync(manager, filled, $"filled.{format}");
        var html = WebUtility.HtmlDecode(await preview.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Contains("Rows: 3 · ambassadors to import: 2 · rows with errors: 0", html);
        Assert.Equal(HttpStatusCode.Redirect, (await PeopleSeed.CommitAsync(manager, html)).StatusCode);
        await using var db = App.Db();
        var anna = await db.Ambassadors.AsNoTracking().SingleAsync(a => a.NormalizedEmail == $"anna.{tag}@example.com");
        Assert.Equal(["instagram", "tiktok"], anna.SocialProfiles.Select(p => p.Network).ToArray());
        Assert.True(await db.Ambassadors.AnyAsync(a => a.NormalizedEmail == $"bo.{tag}@example.com"));
    }

    [SkippableFact]
    public async Task FilesThatCannotBeReadAreRefusedInPlainWords()
    {
        var (manager, _) = await StaffBrowser.SignedInAsync(App, "manager");
        var noHeader = await PeopleSeed.UploadAsync(manager, Encoding.UTF8.GetBytes("just,some,text\r\n"), "x.csv");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noHeader.StatusCode);
        Assert.Contains("The first row must name the columns; missing: name, email.", await noHeader.Content.ReadAsStringAsync());
        var tooMany = "name,email\r\n" + string.Concat(Enumerable.Range(0, 5001).Select(i => $"P{i},p{i}@example.com\r\n"));
        var big = await PeopleSeed.UploadAsync(manager, Encoding.UTF8.GetBytes(tooMany), "big.csv");
        Assert.Contains("The file has more than 5000 rows.", await big.Content.ReadAsStringAsync());
        var broken = await PeopleSeed.UploadAsync(manager, [0x50, 0x4B, 0x03, 0x04, 0x00, 0x01], "broken.xlsx");
        Assert.Contains("The file cannot be read as .xlsx or CSV.", await broken.Content.ReadAsStringAsync());
        var tampered = await manager.PostFormAsync("/manage/ambassadors/import", new Dictionary<string, string> { ["Payload"] = "AAAA" },
            "/manage/ambassadors/import?handler=Commit");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tampered.StatusCode);
        Assert.Contains("The preview has expired or was changed", await tampered.Content.ReadAsStringAsync());
    }

    private static byte[] Workbook(params object[][] rows)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet("Sheet1");
        string[] header = ["name", "email", "country", "network", "handle", "followers"];
        for (var c = 0; c < header.Length; c++) sheet.Cell(1, c + 1).Value = header[c];
        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < rows[r].Length; c++) sheet.Cell(r + 2, c + 1).Value = rows[r][c];
        }
        using var output = new MemoryStream();
        workbook.SaveAs(output);
        return output.ToArray();
    }

    private static string Row(string html, int line) => AmbassadorPagesTests.Between(html, $"data-testid=\"row-{line}\"", "</tr>");
}

public sealed class AmbassadorImportOnSqlite(SqliteFixture fixture) : AmbassadorImportTests(fixture), IClassFixture<SqliteFixture>;

public sealed class AmbassadorImportOnPostgres(PostgresFixture fixture) : AmbassadorImportTests(fixture), IClassFixture<PostgresFixture>;
