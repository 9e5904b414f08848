using System.Security.Cryptography;
using EspacePro.Web.Captcha;

namespace EspacePro.Tests.Captcha;

/// <summary>
/// The audio captcha against a program: <see cref="TemplateSolver"/> slides every committed clip
/// over the sound. It must read the plain concatenation of clips (what the captcha used to
/// play), or its failing on today's renders would prove nothing.
/// </summary>
public sealed class AudioCaptchaAttackTests(ITestOutputHelper output)
{
    private const int Challenges = 20;

    private static readonly CaptchaAudioRenderer Renderer = new();

    [Fact]
    public void The_template_solver_reads_sounds_made_of_the_clips_as_recorded()
    {
        var random = new Random(20261203);
        var solved = 0;
        for (var i = 0; i < Challenges; i++)
        {
            var text = CaptchaText.Generate();
            var sound = Renderer.Mix(text, random, AudioVariation.None).ToSamples();
            if (CaptchaText.Matches(text, TemplateSolver.Solve(sound, Renderer.Templates, CaptchaText.Length)))
            {
                solved++;
            }
        }

        output.WriteLine($"plain clips: {solved} of {Challenges} read");
        Assert.True(solved >= Challenges - 1, $"the solver read only {solved} of {Challenges} plain sounds");
    }

    [Fact]
    public void The_template_solver_reads_at_most_one_captcha_in_twenty()
    {
        var solved = 0;
        var characters = 0;
        for (var i = 0; i < Challenges; i++)
        {
            var text = CaptchaText.Generate();
            var wav = Renderer.RenderWav(text, RandomNumberGenerator.GetBytes(SeededRandom.SeedLength));
            var read = TemplateSolver.Solve(WaveFile.Read(wav, "render").Samples, Renderer.Templates, CaptchaText.Length);
            if (CaptchaText.Matches(text, read))
            {
                solved++;
            }
            characters += text.ToUpperInvariant().Zip(read).Count(pair => pair.First == pair.Second);
        }

        output.WriteLine($"varied renders: {solved} of {Challenges} read, {characters} of {Challenges * CaptchaText.Length} characters in place");
        Assert.True(solved <= 1, $"the solver read {solved} of {Challenges} captchas");
    }

    [Fact]
    public void Every_character_stands_above_the_babble()
    {
        for (var i = 0; i < Challenges; i++)
        {
            var mix = Renderer.Mix(CaptchaText.Generate(), new SeededRandom(RandomNumberGenerator.GetBytes(SeededRandom.SeedLength), "audio"), AudioVariation.Full);

            Assert.All(mix.Spans, span =>
            {
                var speech = CaptchaAudioRenderer.Power(mix.Speech.AsSpan(span.Start, span.Length));
                var babble = CaptchaAudioRenderer.Power(mix.Babble.AsSpan(span.Start, span.Length));
                var snr = 10 * Math.Log10(speech / babble);
                Assert.True(snr >= AudioVariation.Full.BabbleSnrDb - 0.01, $"a character only {snr:F1} dB above the babble");
            });
            // The babble also fills the silences, so the sound cannot be cut at them.
            Assert.True(CaptchaAudioRenderer.Power(mix.Babble.AsSpan(0, mix.Spans[0].Start)) > 0);
        }
    }

    [Fact]
    public void One_seed_always_gives_the_same_sound_and_another_seed_another_one()
    {
        var seed = RandomNumberGenerator.GetBytes(SeededRandom.SeedLength);
        var first = Renderer.RenderWav("4Yc7A3", seed);

        Assert.Equal(first, Renderer.RenderWav("4Yc7A3", seed));
        Assert.NotEqual(first, Renderer.RenderWav("4Yc7A3", RandomNumberGenerator.GetBytes(SeededRandom.SeedLength)));
    }
}
