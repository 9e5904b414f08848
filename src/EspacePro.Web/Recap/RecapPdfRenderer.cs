using System.Globalization;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace EspacePro.Web.Recap;

/// <summary>
/// Renders the "récapitulatif de vos données personnelles" PDF of the sheet's chapter 4.3. Stateless apart
/// from the font registration, so one instance serves every request.
/// </summary>
public sealed class RecapPdfRenderer
{
    private const string DocumentTitle = "Récapitulatif espace professionnel";

    // Windows maps IANA ids too since .NET 6, so one id works on every host.
    private static readonly TimeZoneInfo ParisTime = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    private readonly RecapFontFamily fontFamily;

    public RecapPdfRenderer(string fontDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fontDirectory);
        fontFamily = RecapFontResolver.Register(fontDirectory);
    }

    public byte[] Render(RecapData data)
    {
        ArgumentNullException.ThrowIfNull(data);

        using var document = new PdfDocument();
        // The title is the only metadata: the file may be forwarded or indexed, its content not.
        document.Info.Title = DocumentTitle;
        document.Info.Creator = "EspacePro";
        document.Language = "fr-FR";
        document.ViewerPreferences.DisplayDocTitle = true;

        var layout = new RecapLayout(document, fontFamily, FooterText(data.CreatedAt));
        layout.Header();

        layout.Section("Vos coordonnées");
        layout.Row("Nom :", data.LastName);
        layout.Row("Prénom :", data.FirstName);
        layout.Row("N° d'abonné :", data.SubscriberNumber);
        layout.Row("Téléphone :", data.Phone);
        layout.Row("Adresse électronique de connexion :", data.LoginEmail);
        layout.Row("Adresse :", data.Address);

        layout.Section("Votre question de confiance");
        layout.Row("Question de confiance :", data.TrustQuestion);

        layout.Finish();

        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    internal static string FooterText(DateTimeOffset createdAt)
    {
        var paris = TimeZoneInfo.ConvertTime(createdAt, ParisTime);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Votre espace professionnel : document créé le {paris:dd/MM/yyyy} à {paris:HH}h{paris:mm}mn{paris:ss}s");
    }

    /// <summary>One render's drawing state: the current page, its graphics and the pen position.</summary>
    private sealed class RecapLayout
    {
        private const double Margin = 56.7; // 2 cm
        private const double LabelWidth = 200;
        private const double ColumnGap = 12;
        private const double FooterHeight = 58;

        private static readonly XColor Blue = XColor.FromArgb(0x00, 0x00, 0x91);
        private static readonly XColor Text = XColor.FromArgb(0x16, 0x16, 0x16);
        private static readonly XColor Muted = XColor.FromArgb(0x3A, 0x3A, 0x3A);
        private static readonly XColor Discreet = XColor.FromArgb(0x66, 0x66, 0x66);
        private static readonly XColor Rule = XColor.FromArgb(0xDD, 0xDD, 0xDD);

        private readonly PdfDocument document;
        private readonly string footer;
        private readonly FontCoverage coverage;
        private readonly XFont siteFont;
        private readonly XFont titleFont;
        private readonly XFont subtitleFont;
        private readonly XFont sectionFont;
        private readonly XFont labelFont;
        private readonly XFont valueFont;
        private readonly XFont footerFont;
        private readonly XFont demoFont;
        private readonly XSolidBrush blueBrush = new(Blue);
        private readonly XSolidBrush textBrush = new(Text);
        private readonly XSolidBrush mutedBrush = new(Muted);
        private readonly XSolidBrush discreetBrush = new(Discreet);
        private readonly XPen bluePen = new(Blue, 1.5);
        private readonly XPen rulePen = new(Rule, 0.75);

        private XGraphics? graphics;
        private double pageWidth;
        private double pageHeight;
        private double y;

        public RecapLayout(PdfDocument document, RecapFontFamily family, string footer)
        {
            this.document = document;
            this.footer = footer;
            coverage = family.Coverage;
            // Unicode (Identity-H) encoding embeds a ToUnicode map: any script the font covers is
            // drawn, and pdftotext gets the text back.
            var options = new XPdfFontOptions(PdfFontEncoding.Unicode);
            XFont Font(double size, XFontStyleEx style) => new(family.Name, size, style, options);
            siteFont = Font(17, XFontStyleEx.Bold);
            titleFont = Font(14, XFontStyleEx.Bold);
            subtitleFont = Font(11.5, XFontStyleEx.Bold);
            sectionFont = Font(12.5, XFontStyleEx.Bold);
            labelFont = Font(10, XFontStyleEx.Regular);
            valueFont = Font(10, XFontStyleEx.Bold);
            footerFont = Font(9, XFontStyleEx.Regular);
            demoFont = Font(8, XFontStyleEx.Regular);
            NewPage();
        }

        private XGraphics Graphics => graphics ?? throw new InvalidOperationException("No page.");
        private double ContentWidth => pageWidth - 2 * Margin;
        private double ContentBottom => pageHeight - Margin - FooterHeight;

        public void Header()
        {
            Graphics.DrawString("impots.gouv.fr", siteFont, blueBrush, Margin, y, XStringFormats.TopLeft);
            y += siteFont.GetHeight() + 4;
            Graphics.DrawLine(bluePen, Margin, y, Margin + ContentWidth, y);
            y += 22;
            Graphics.DrawString("VOTRE ESPACE PROFESSIONNEL", titleFont, blueBrush, Margin, y, XStringFormats.TopLeft);
            y += titleFont.GetHeight() + 4;
            Graphics.DrawString("RECAPITULATIF DE VOS DONNEES PERSONNELLES", subtitleFont, textBrush, Margin, y, XStringFormats.TopLeft);
            y += subtitleFont.GetHeight() + 14;
        }

        public void Section(string title)
        {
            var height = 14 + sectionFont.GetHeight() + 10;
            // Keep a heading with at least its first row.
            if (y + height + 2 * valueFont.GetHeight() > ContentBottom)
            {
                NewPage();
            }
            y += 14;
            Graphics.DrawString(title, sectionFont, blueBrush, Margin, y, XStringFormats.TopLeft);
            y += sectionFont.GetHeight() + 3;
            Graphics.DrawLine(rulePen, Margin, y, Margin + ContentWidth, y);
            y += 7;
        }

        public void Row(string label, string value)
        {
            var valueX = Margin + LabelWidth + ColumnGap;
            var labelLines = TextWrapper.Wrap(label, labelFont, LabelWidth, Graphics);
            var valueLines = TextWrapper.Wrap(TextWrapper.Clean(value, coverage), valueFont, ContentWidth - LabelWidth - ColumnGap, Graphics);
            var lineHeight = Math.Max(labelFont.GetHeight(), valueFont.GetHeight());
            var lineCount = Math.Max(labelLines.Count, valueLines.Count);

            // A row that fits on a fresh page is not split; a longer one flows line by line.
            if (y + lineCount * lineHeight > ContentBottom && Margin + lineCount * lineHeight <= ContentBottom)
            {
                NewPage();
            }
            for (var i = 0; i < lineCount; i++)
            {
                if (y + lineHeight > ContentBottom)
                {
                    NewPage();
                }
                if (i < labelLines.Count)
                {
                    Graphics.DrawString(labelLines[i], labelFont, mutedBrush, Margin, y, XStringFormats.TopLeft);
                }
                if (i < valueLines.Count && valueLines[i].Length > 0)
                {
                    Graphics.DrawString(valueLines[i], valueFont, textBrush, valueX, y, XStringFormats.TopLeft);
                }
                y += lineHeight;
            }
            y += 5;
        }

        public void Finish()
        {
            graphics?.Dispose();
            graphics = null;
        }

        private void NewPage()
        {
            graphics?.Dispose();
            var page = document.AddPage();
            page.Size = PageSize.A4;
            pageWidth = page.Width.Point;
            pageHeight = page.Height.Point;
            graphics = XGraphics.FromPdfPage(page);
            y = Margin;
            Footer();
        }

        private void Footer()
        {
            var top = pageHeight - Margin - FooterHeight + 18;
            Graphics.DrawLine(rulePen, Margin, top, Margin + ContentWidth, top);
            var lineY = top + 8;
            foreach (var line in TextWrapper.Wrap(footer, footerFont, ContentWidth, Graphics))
            {
                Graphics.DrawString(line, footerFont, mutedBrush, Margin, lineY, XStringFormats.TopLeft);
                lineY += footerFont.GetHeight();
            }
            Graphics.DrawString("Document de démonstration – service non officiel", demoFont, discreetBrush, Margin, lineY + 4, XStringFormats.TopLeft);
        }
    }
}
