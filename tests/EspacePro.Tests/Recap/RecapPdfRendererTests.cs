using System.Globalization;
using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Recap;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace EspacePro.Tests.Recap;

public sealed class RecapPdfRendererTests
{
    // One renderer for the class, as the app registers it: a singleton.
    private static readonly RecapPdfRenderer Renderer = new(RepoPaths.FontDirectory);

    // 23 Feb 2026, 15:05:25 UTC is 16:05:25 in Paris (CET, UTC+1): the sheet's own example.
    private static readonly RecapData Lila = new(
        LastName: "ROSEMONDE",
        FirstName: "Lila",
        SubscriberNumber: "20260510000101",
        Phone: "0123456789",
        LoginEmail: "lila.rosemonde1@dgifp.finances.gouv.fr",
        Address: "Paris FRANCE",
        TrustQuestion: "Quel est votre plat préféré ?",
        CreatedAt: new DateTimeOffset(2026, 2, 23, 15, 5, 25, TimeSpan.Zero));

    private const double Margin = 56; // the renderer's 2 cm, rounded down

    [Fact]
    public void Recap_shows_the_headings_labels_and_values_of_the_sheet()
    {
        var text = Text(Renderer.Render(Lila));

        Assert.All(
            new[]
            {
                "impots.gouv.fr", "VOTRE ESPACE PROFESSIONNEL", "RECAPITULATIF DE VOS DONNEES PERSONNELLES",
                "Vos coordonnées", "Nom :", "Prénom :", "N° d'abonné :", "Téléphone :",
                "Adresse électronique de connexion :", "Adresse :",
                "Votre question de confiance", "Question de confiance :",
                "ROSEMONDE", "Lila", "20260510000101", "0123456789", "lila.rosemonde1@dgifp.finances.gouv.fr",
                "Paris FRANCE", "Quel est votre plat préféré ?",
                "Document de démonstration – service non officiel",
            },
            expected => Assert.Contains(expected, text, StringComparison.Ordinal));
    }

    [Fact]
    public void Footer_gives_the_creation_time_in_Paris_winter_time()
    {
        var text = Text(Renderer.Render(Lila));

        Assert.Contains("Votre espace professionnel : document créé le 23/02/2026 à 16h05mn25s", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Footer_gives_the_creation_time_in_Paris_summer_time()
    {
        // 14 July, 08:30:07 UTC is 10:30:07 in Paris (CEST, UTC+2).
        var summer = Lila with { CreatedAt = new DateTimeOffset(2026, 7, 14, 8, 30, 7, TimeSpan.Zero) };

        var text = Text(Renderer.Render(summer));

        Assert.Contains("document créé le 14/07/2026 à 10h30mn07s", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-12-31T23:30:00+00:00", "01/01/2027 à 00h30mn00s")]
    [InlineData("2026-03-29T01:30:00+00:00", "29/03/2026 à 03h30mn00s")]
    [InlineData("2026-10-25T00:59:59+00:00", "25/10/2026 à 02h59mn59s")]
    [InlineData("2026-10-25T01:00:00+00:00", "25/10/2026 à 02h00mn00s")]
    [InlineData("2026-02-23T10:05:25-05:00", "23/02/2026 à 16h05mn25s")]
    public void Footer_converts_any_offset_to_Paris_time_across_midnight_and_clock_changes(string createdAt, string expected)
    {
        var data = Lila with { CreatedAt = DateTimeOffset.Parse(createdAt, CultureInfo.InvariantCulture) };

        var text = Text(Renderer.Render(data));

        Assert.Contains($"Votre espace professionnel : document créé le {expected}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_email_and_name_wrap_in_full_within_the_page()
    {
        var email = new string('e', 150) + "." + new string('x', 130) + "@exemple-domaine.fr";
        var name = new string('N', 200);
        Assert.Equal(300, email.Length);

        var pdf = Renderer.Render(Lila with { LoginEmail = email, LastName = name });

        var text = Squashed(Text(pdf));
        Assert.Contains(email, text, StringComparison.Ordinal);
        Assert.Contains(name, text, StringComparison.Ordinal);
        AssertEveryWordWithinMargins(pdf);
    }

    [Fact]
    public void Long_values_with_spaces_wrap_at_spaces_within_the_page()
    {
        var address = string.Join(' ', Enumerable.Range(1, 60).Select(i => $"bâtiment{i}"));
        var question = "Quel est le nom de la rue où vous habitiez quand vous aviez dix ans et demi environ, avant le déménagement ?";

        var pdf = Renderer.Render(Lila with { Address = address, TrustQuestion = question });

        var text = Text(pdf);
        Assert.All(address.Split(' '), word => Assert.Contains(word, text, StringComparison.Ordinal));
        Assert.Contains(Squashed(question), Squashed(text), StringComparison.Ordinal);
        AssertEveryWordWithinMargins(pdf);
    }

    [Theory]
    [InlineData("Ægir Øster-Łukasz Ñúñez")]
    [InlineData("Ζωή")]
    [InlineData("Юлия")]
    [InlineData("Straße Œdipe Çà ÿ")]
    public void Unicode_names_come_back_intact(string name)
    {
        var text = Text(Renderer.Render(Lila with { LastName = name, FirstName = name }));

        Assert.Contains(name, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Decomposed_accents_are_composed()
    {
        var text = Text(Renderer.Render(Lila with { FirstName = "Zoe\u0301" }));

        Assert.Contains("Zoé", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Characters_the_font_lacks_or_invalid_text_show_a_replacement_character_without_failing()
    {
        var odd = Lila with
        {
            LastName = "Li 漢字 😀 \uD800 \uE000 Wang",
            FirstName = "A\u202Eevil\u202C\u0000B\tC",
        };

        var text = Text(Renderer.Render(odd));

        Assert.Contains("Li \uFFFD\uFFFD \uFFFD \uFFFD \uFFFD Wang", text, StringComparison.Ordinal);
        Assert.Contains("Aevil B C", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_breaks_in_the_address_start_new_lines()
    {
        var pdf = Renderer.Render(Lila with { Address = "12 rue de la Paix\r\n75002 Paris\nFRANCE" });

        var lines = Text(pdf).Split('\n').Select(line => line.Trim()).ToList();
        Assert.Contains(lines, line => line.EndsWith("12 rue de la Paix", StringComparison.Ordinal));
        Assert.Contains("75002 Paris", lines);
        Assert.Contains("FRANCE", lines);
    }

    [Fact]
    public void A_value_longer_than_a_page_flows_onto_more_pages_with_the_footer_on_each()
    {
        var address = string.Join(' ', Enumerable.Range(1, 900).Select(i => $"ligne{i}"));

        var pdf = Renderer.Render(Lila with { Address = address });

        using var document = PdfDocument.Open(pdf);
        Assert.True(document.NumberOfPages > 1);
        Assert.All(document.GetPages(), page => Assert.Contains("document créé le 23/02/2026", ContentOrderTextExtractor.GetText(page), StringComparison.Ordinal));
        Assert.Contains("ligne900", Text(pdf), StringComparison.Ordinal);
        Assert.Contains("Question de confiance :", Text(pdf), StringComparison.Ordinal);
        AssertEveryWordWithinMargins(pdf);
    }

    [Fact]
    public void Document_is_an_A4_page_titled_without_personal_data_in_its_metadata()
    {
        using var document = PdfDocument.Open(Renderer.Render(Lila));

        var page = document.GetPage(1);
        Assert.Equal(595, page.Width, 0);
        Assert.Equal(842, page.Height, 0);
        Assert.Equal("Récapitulatif espace professionnel", document.Information.Title);
        Assert.Null(document.Information.Author);
        Assert.Null(document.Information.Subject);
        Assert.Null(document.Information.Keywords);
    }

    [Fact]
    public async Task Renders_run_in_parallel()
    {
        var names = Enumerable.Range(1, 16).Select(i => $"PARALLELE{i}").ToList();

        var pdfs = await Task.WhenAll(names.Select(name =>
            Task.Run(() => Renderer.Render(Lila with { LastName = name }), TestContext.Current.CancellationToken)));

        for (var i = 0; i < names.Count; i++)
        {
            Assert.Contains($"Nom : {names[i]}", SingleSpaced(Text(pdfs[i])), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_second_renderer_on_the_same_or_another_font_folder_works_beside_the_first()
    {
        var copy = Directory.CreateTempSubdirectory("recap-fonts-");
        try
        {
            foreach (var face in new[] { "DejaVuSans.ttf", "DejaVuSans-Bold.ttf" })
            {
                File.Copy(Path.Combine(RepoPaths.FontDirectory, face), Path.Combine(copy.FullName, face));
            }

            var same = new RecapPdfRenderer(RepoPaths.FontDirectory + Path.DirectorySeparatorChar);
            var other = new RecapPdfRenderer(copy.FullName);

            Assert.Contains("Юлия", Text(same.Render(Lila with { FirstName = "Юлия" })), StringComparison.Ordinal);
            Assert.Contains("Ζωή", Text(other.Render(Lila with { FirstName = "Ζωή" })), StringComparison.Ordinal);
            Assert.Contains("ROSEMONDE", Text(Renderer.Render(Lila)), StringComparison.Ordinal);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_folder_without_the_fonts_fails_at_construction()
    {
        var empty = Directory.CreateTempSubdirectory("recap-nofonts-");
        try
        {
            Assert.Throws<FileNotFoundException>(() => new RecapPdfRenderer(empty.FullName));
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    private static string Text(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join('\n', document.GetPages().Select(page => ContentOrderTextExtractor.GetText(page)));
    }

    private static string Squashed(string text) =>
        string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static string SingleSpaced(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static void AssertEveryWordWithinMargins(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        foreach (var page in document.GetPages())
        {
            var words = page.GetWords().ToList();
            Assert.NotEmpty(words);
            Assert.All(words, word =>
            {
                Assert.True(word.BoundingBox.Left >= Margin, $"'{word.Text}' starts at {word.BoundingBox.Left}");
                Assert.True(word.BoundingBox.Right <= page.Width - Margin, $"'{word.Text}' ends at {word.BoundingBox.Right} of {page.Width}");
                Assert.True(word.BoundingBox.Bottom >= 0 && word.BoundingBox.Top <= page.Height, $"'{word.Text}' leaves the page vertically");
            });
        }
    }
}
