using System.Globalization;
using System.IO.Packaging;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Ambassadors.Payouts.Workbook;

/// <summary>
/// Writes the workbook row by row with the SAX-style <see cref="OpenXmlWriter"/> into a package opened write-only,
/// so memory stays flat whatever the row count: System.IO.Packaging opened read/write keeps every part in memory
/// (ZipArchive in update mode), while write-only (ZipArchive in create mode) compresses each part straight to the
/// output. Parts are written one after another (only one may be open at a time): the sheets first, then the
/// workbook (whose filter names need the last rows) and the styles (collected while writing the cells).
/// Strings are inline (no shared-string table to hold in memory).
/// </summary>
internal static class StreamingWorkbookWriter
{
    private const string RelationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string RelationshipTypes = RelationshipNamespace + "/";
    private const string ContentTypes = "application/vnd.openxmlformats-officedocument.spreadsheetml.";

    public static void Write(IReadOnlyList<WorkbookSheet> sheets, Stream output)
    {
        using var package = Package.Open(output, FileMode.Create, FileAccess.Write);
        var styles = new StyleRegistry();
        var workbookUri = new Uri("/xl/workbook.xml", UriKind.Relative);
        var sheetElements = new Sheets();
        var filterNames = new DefinedNames();
        var relationships = new List<(string Target, string Type, string Id)>();
        for (var index = 0; index < sheets.Count; index++)
        {
            var sheet = sheets[index];
            var target = $"worksheets/sheet{index + 1}.xml";
            var part = package.CreatePart(new Uri("/xl/" + target, UriKind.Relative), ContentTypes + "worksheet+xml", CompressionOption.Normal);
            int lastRow;
            using (var stream = part.GetStream(FileMode.Create, FileAccess.Write))
            {
                lastRow = WriteSheet(stream, sheet, styles, selected: index == 0);
            }
            var id = $"rId{index + 1}";
            relationships.Add((target, "worksheet", id));
            sheetElements.Append(new Sheet { Name = sheet.Name, SheetId = (uint)(index + 1), Id = id });
            if (sheet.AutoFilter)
            {
                filterNames.Append(new DefinedName($"{Quoted(sheet.Name)}!{AbsoluteRange(sheet.ColumnWidths.Count, lastRow)}")
                {
                    Name = "_xlnm._FilterDatabase",
                    LocalSheetId = (uint)index,
                    Hidden = true,
                });
            }
        }
        relationships.Add(("styles.xml", "styles", $"rId{sheets.Count + 1}"));

        var workbook = new DocumentFormat.OpenXml.Spreadsheet.Workbook(
            new BookViews(new WorkbookView()),
            sheetElements);
        if (filterNames.HasChildren) workbook.Append(filterNames);
        workbook.AddNamespaceDeclaration("r", RelationshipNamespace);
        var workbookPart = package.CreatePart(workbookUri, ContentTypes + "sheet.main+xml", CompressionOption.Normal);
        WriteElement(workbookPart, workbook);
        var stylesPart = package.CreatePart(new Uri("/xl/styles.xml", UriKind.Relative), ContentTypes + "styles+xml", CompressionOption.Normal);
        WriteElement(stylesPart, styles.Stylesheet());

        foreach (var (target, type, id) in relationships)
        {
            workbookPart.CreateRelationship(new Uri(target, UriKind.Relative), TargetMode.Internal, RelationshipTypes + type, id);
        }
        package.CreateRelationship(workbookUri, TargetMode.Internal, RelationshipTypes + "officeDocument", "rId1");
    }

    private static void WriteElement(PackagePart part, OpenXmlElement element)
    {
        using var stream = part.GetStream(FileMode.Create, FileAccess.Write);
        using var writer = OpenXmlWriter.Create(stream);
        writer.WriteStartDocument();
        writer.WriteElement(element);
    }

    /// <summary>Writes one worksheet; returns its last row number (1 when only the header).</summary>
    private static int WriteSheet(Stream stream, WorkbookSheet sheet, StyleRegistry styles, bool selected)
    {
        using var writer = OpenXmlWriter.Create(stream);
        writer.WriteStartDocument();
        writer.WriteStartElement(new Worksheet());
        writer.WriteElement(new SheetViews(new SheetView(
            new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
            new Selection { Pane = PaneValues.BottomLeft })
        {
            TabSelected = selected ? true : null,
            WorkbookViewId = 0,
        }));
        var columns = new Columns();
        for (var column = 0; column < sheet.ColumnWidths.Count; column++)
        {
            columns.Append(new Column
            {
                Min = (uint)(column + 1),
                Max = (uint)(column + 1),
                Width = StoredWidth(sheet.ColumnWidths[column]),
                CustomWidth = true,
            });
        }
        writer.WriteElement(columns);

        var letters = Enumerable.Range(0, Math.Max(sheet.ColumnWidths.Count, 1)).Select(ColumnLetters).ToArray();
        var cellWriter = new CellWriter(writer, styles);
        writer.WriteStartElement(new SheetData());
        var rowNumber = 0;
        foreach (var cells in sheet.Rows)
        {
            rowNumber++;
            if (cells.Length == 0) continue; // an empty row needs no element
            var row = rowNumber.ToString(CultureInfo.InvariantCulture);
            writer.WriteStartElement(cellWriter.Row, [new OpenXmlAttribute("r", null!, row)]);
            for (var column = 0; column < cells.Length; column++)
            {
                if (!cells[column].IsEmpty) cellWriter.Write(letters[column] + row, cells[column]);
            }
            writer.WriteEndElement();
        }
        writer.WriteEndElement(); // sheetData
        var lastRow = Math.Max(rowNumber, 1);
        if (sheet.AutoFilter) writer.WriteElement(new AutoFilter { Reference = $"A1:{letters[^1]}{lastRow}" });
        writer.WriteEndElement(); // worksheet
        return lastRow;
    }

    /// <summary>
    /// The width as stored in the file: what ClosedXML stores for the same width (it adds the cell padding, and
    /// takes it off again on load), so both writers' columns look, and read back, alike.
    /// </summary>
    internal static double StoredWidth(double width) => width + 0.710625;

    internal static string ColumnLetters(int index)
    {
        var letters = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) letters = (char)('A' + (n - 1) % 26) + letters;
        return letters;
    }

    private static string Quoted(string sheetName) => $"'{sheetName.Replace("'", "''", StringComparison.Ordinal)}'";

    private static string AbsoluteRange(int columns, int lastRow) => $"$A$1:${ColumnLetters(columns - 1)}${lastRow}";

    /// <summary>Cells with reused element prototypes and attribute lists, so a row costs little beyond its text.</summary>
    private sealed class CellWriter(OpenXmlWriter writer, StyleRegistry styles)
    {
        private static readonly OpenXmlAttribute PreserveSpace = new("xml", "space", "http://www.w3.org/XML/1998/namespace", "preserve");
        private static readonly OpenXmlAttribute InlineStringType = new("t", null!, "inlineStr");
        private readonly Cell _cell = new();
        private readonly CellValue _value = new();
        private readonly InlineString _inline = new();
        private readonly Text _text = new();
        private readonly List<OpenXmlAttribute> _attributes = new(3);
        private readonly List<OpenXmlAttribute> _textAttributes = [PreserveSpace];

        public Row Row { get; } = new();

        public void Write(string reference, WorkbookCell cell)
        {
            _attributes.Clear();
            _attributes.Add(new OpenXmlAttribute("r", null!, reference));
            var style = styles.IndexOf(cell.Format, cell.Header);
            if (style != 0) _attributes.Add(new OpenXmlAttribute("s", null!, style.ToString(CultureInfo.InvariantCulture)));
            if (cell.Kind == WorkbookCellKind.Text)
            {
                _attributes.Add(InlineStringType);
                writer.WriteStartElement(_cell, _attributes);
                writer.WriteStartElement(_inline);
                var text = cell.Text!;
                if (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))) writer.WriteStartElement(_text, _textAttributes);
                else writer.WriteStartElement(_text);
                writer.WriteString(text);
                writer.WriteEndElement();
                writer.WriteEndElement();
            }
            else
            {
                var number = cell.Kind == WorkbookCellKind.Date ? cell.Date.ToOADate() : cell.Number;
                writer.WriteStartElement(_cell, _attributes);
                writer.WriteStartElement(_value);
                writer.WriteString(number.ToString("R", CultureInfo.InvariantCulture));
                writer.WriteEndElement();
            }
            writer.WriteEndElement();
        }
    }

    /// <summary>The cell formats in use, numbered as first met; becomes the stylesheet once every cell is written.</summary>
    private sealed class StyleRegistry
    {
        private const uint FirstCustomFormatId = 164;
        private readonly Dictionary<(string? Format, bool Header), int> _indexes = new() { [(null, false)] = 0 };
        private readonly List<(string? Format, bool Header)> _styles = [(null, false)];
        private readonly Dictionary<string, uint> _formatIds = new(StringComparer.Ordinal);

        public int IndexOf(string? format, bool header)
        {
            if (_indexes.TryGetValue((format, header), out var index)) return index;
            if (format is not null && !_formatIds.ContainsKey(format)) _formatIds[format] = FirstCustomFormatId + (uint)_formatIds.Count;
            index = _styles.Count;
            _styles.Add((format, header));
            _indexes[(format, header)] = index;
            return index;
        }

        public Stylesheet Stylesheet()
        {
            var stylesheet = new Stylesheet();
            if (_formatIds.Count > 0)
            {
                stylesheet.Append(new NumberingFormats(_formatIds.Select(f => new NumberingFormat { NumberFormatId = f.Value, FormatCode = f.Key }))
                {
                    Count = (uint)_formatIds.Count,
                });
            }
            stylesheet.Append(
                new Fonts(Font(bold: false), Font(bold: true)) { Count = 2 },
                new Fills(
                    new Fill(new PatternFill { PatternType = PatternValues.None }),
                    new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                    new Fill(new PatternFill(
                        new ForegroundColor { Rgb = WorkbookStyle.HeaderFillArgb.ToString("X8", CultureInfo.InvariantCulture) },
                        new BackgroundColor { Indexed = 64 })
                    {
                        PatternType = PatternValues.Solid,
                    })) { Count = 3 },
                new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
                new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
                new CellFormats(_styles.Select(CellFormat)) { Count = (uint)_styles.Count },
                new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
            return stylesheet;
        }

        private CellFormat CellFormat((string? Format, bool Header) style)
        {
            var format = new CellFormat
            {
                NumberFormatId = style.Format is null ? 0 : _formatIds[style.Format],
                FontId = style.Header ? 1u : 0u,
                FillId = style.Header ? 2u : 0u,
                BorderId = 0,
                FormatId = 0,
            };
            if (style.Format is not null) format.ApplyNumberFormat = true;
            if (style.Header)
            {
                format.ApplyFont = true;
                format.ApplyFill = true;
            }
            return format;
        }

        private static Font Font(bool bold)
        {
            var font = new Font();
            if (bold) font.Append(new Bold());
            font.Append(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }, new FontFamilyNumbering { Val = 2 });
            return font;
        }
    }
}
