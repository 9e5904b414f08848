using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using EspacePro.Data;
using EspacePro.Tests.Infrastructure;
using EspacePro.Web.Common;
using Microsoft.EntityFrameworkCore;

namespace EspacePro.Tests.Cluster;

/// <summary>
/// Two nodes behind nginx on one PostgreSQL database (deploy/cluster.sh): what one node does,
/// the other knows; background work runs once; a node killed outright loses nothing.
/// </summary>
public sealed class ClusterTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Uri Node1 => cluster.Node1;
    private Uri Node2 => cluster.Node2;

    [Fact]
    public async Task A_space_opened_through_one_node_is_served_by_the_other_and_by_nginx_from_both()
    {
        cluster.Require();
        var (email, password) = (await NewAccountsAsync(1))[0];
        using var browser = new ClusterBrowser(cluster);

        await browser.LoginAsync(email, password, showOn: Node1, postTo: Node1);
        var onOther = await browser.Via(Node2).GetAsync("/", follow: false);

        Assert.Equal(HttpStatusCode.OK, onOther.Status);
        Assert.NotNull(onOther.Document.QuerySelector("form.logout-form"));
        // nginx alternates; a node restarted by another test may still be set aside for up to 5 s.
        var answeredBy = new HashSet<string>();
        var clock = Stopwatch.StartNew();
        while (answeredBy.Count < 2 && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            var page = await browser.Via(cluster.Entry).GetAsync("/", follow: false);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            answeredBy.Add(page.Response.Headers.GetValues("X-Upstream").Last());
            await Task.Delay(100, Cancel);
        }
        Assert.Equal([Node1.Authority, Node2.Authority], answeredBy.Order());
    }

    [Fact]
    public async Task A_password_changed_on_one_node_closes_the_other_browsers_session_on_the_other_node_within_the_check_cache()
    {
        cluster.Require();
        var (email, password) = (await NewAccountsAsync(1))[0];
        using var changer = new ClusterBrowser(cluster);
        using var other = new ClusterBrowser(cluster);
        await changer.LoginAsync(email, password, Node1, Node1);
        await other.LoginAsync(email, password, Node2, Node2);
        // Node 2 has just read the other session and keeps it for up to 5 s (Security:SessionCheckCache).
        Assert.Equal(HttpStatusCode.OK, (await other.Via(Node2).GetAsync("/", follow: false)).Status);

        var form = await changer.Via(Node1).OpenAsync();
        var saved = await changer.Via(Node1).SubmitIdentifiersAsync(form, newPassword: Identifiers.NewPassword);
        Assert.EndsWith("/enregistrement", saved.Url.AbsolutePath);
        var changedAt = Stopwatch.StartNew();

        HttpStatusCode status;
        do
        {
            status = (await other.Via(Node2).GetAsync("/", follow: false)).Status;
        }
        while (status == HttpStatusCode.OK && changedAt.Elapsed < TimeSpan.FromSeconds(15) && await Pause(200));
        var refusedAfter = changedAt.Elapsed;

        Assert.Equal(HttpStatusCode.Redirect, status);
        // The cache's 5 s, plus room for a machine shared by many processes.
        Assert.True(refusedAfter < TimeSpan.FromSeconds(5) + TimeSpan.FromSeconds(3), $"refused after {refusedAfter}");
        Assert.Equal(HttpStatusCode.OK, (await changer.Via(Node2).GetAsync("/", follow: false)).Status);
    }

    [Fact]
    public async Task A_captcha_shown_by_one_node_is_checked_by_the_other_and_not_twice()
    {
        cluster.Require();
        var (email, password) = (await NewAccountsAsync(1))[0];
        using var browser = new ClusterBrowser(cluster);
        var page = await browser.Via(Node1).GetAsync("/connexion");

        var home = await browser.SubmitAsync(page, Node2, "#form-connexion",
            new Dictionary<string, string?> { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.Equal("/", home.Url.AbsolutePath);

        // The same captcha again, answered right, on node 1: it was used up on node 2.
        using var replay = new ClusterBrowser(cluster);
        var replayPage = await replay.Via(Node1).GetAsync("/connexion");
        var id = page.Document.QuerySelector("input[data-captcha-id]")!.GetAttribute("value");
        var fresh = replayPage.Document.QuerySelector("input[data-captcha-id]")!;
        var freshAnswer = await cluster.DbAsync(db => db.Captchas.Where(c => c.Id == fresh.GetAttribute("value")).Select(c => c.Answer).SingleAsync(Cancel));
        fresh.SetAttribute("value", id);
        var refused = await replay.Via(Node1).SubmitAsync(replayPage, "#form-connexion", new Dictionary<string, string?>
        {
            ["Input.Email"] = email, ["Input.Password"] = password, ["Captcha.Answer"] = freshAnswer,
        });
        Assert.Equal("/connexion", refused.Url.AbsolutePath);
    }

    [Fact]
    public async Task An_email_change_requested_on_one_node_is_activated_on_the_other()
    {
        cluster.Require();
        var (email, password) = (await NewAccountsAsync(1))[0];
        var newEmail = "nouvelle." + email;
        using var owner = new ClusterBrowser(cluster);
        await owner.LoginAsync(email, password, Node1, Node1);
        var form = await owner.Via(Node1).OpenAsync();
        var saved = await owner.Via(Node1).SubmitIdentifiersAsync(form, newEmail: newEmail);
        Assert.EndsWith("/enregistrement", saved.Url.AbsolutePath);
        var code = Identifiers.ActivationCodeIn((await cluster.MailToAsync(newEmail)).Text);

        using var activating = new ClusterBrowser(cluster);
        var step1 = await activating.Via(Node2).GetAsync("/activation");
        var step2 = await activating.SubmitAsync(step1, Node2, "#form-code", new Dictionary<string, string?> { ["Code"] = code });
        var step3 = await activating.SubmitAsync(step2, Node2, "#form-identifiants-activation", new Dictionary<string, string?> { ["Email"] = newEmail });

        Assert.Contains("Votre modification", step3.Text);
        using var again = new ClusterBrowser(cluster);
        await again.LoginAsync(newEmail, password, Node1, cluster.Entry);
    }

    [Fact]
    public async Task A_thousand_queued_mails_arrive_once_each_from_both_nodes_even_when_one_is_killed_mid_delivery()
    {
        cluster.Require();
        const int count = 1000;
        var batch = "lot-" + Guid.NewGuid().ToString("N")[..8];
        var logFrom = (cluster.LogLength(1), cluster.LogLength(2));
        var ids = await cluster.DbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var rows = Enumerable.Range(0, count).Select(i => new OutboxMessage
            {
                Id = Guid.CreateVersion7(),
                CreatedAt = now,
                Kind = "PasswordChanged",
                To = $"{batch}-{i}@espacepro.test",
                Subject = $"Message {i}",
                TextBody = $"Message {i} du lot {batch}.",
                HtmlBody = $"<p>Message {i} du lot {batch}.</p>",
                NextAttemptAt = now,
            }).ToList();
            db.Outbox.AddRange(rows);
            await db.SaveChangesAsync(Cancel);
            return rows.Select(r => r.Id.ToString("N")).ToHashSet();
        });
        IReadOnlyList<SinkMail> Arrived() => cluster.Mail().Where(m => m.To.StartsWith(batch, StringComparison.Ordinal)).ToList();

        try
        {
            await WaitUntilAsync(() => Arrived().Count >= count / 5, TimeSpan.FromSeconds(60), "a fifth of the mails");
            await cluster.KillNodeAsync(1);
            // Node 2 sends the rest, and node 1's claimed but unsent mails once its lease has run out.
            await WaitUntilAsync(() => Arrived().Select(m => m.MessageId).Distinct().Count() >= count,
                TimeSpan.FromSeconds(90) + ClusterFixture.MailLease, "every mail");
            await Task.Delay(ClusterFixture.MailLease, Cancel);

            var arrived = Arrived();
            var distinct = arrived.Select(m => m.MessageId.Split('@')[0]).ToHashSet();
            Assert.Equal(ids.Order(), distinct.Order());
            // At least once: the one mail a killed node may have had accepted by the relay but not
            // yet recorded as sent goes out again, with the same Message-Id.
            Assert.InRange(arrived.Count - distinct.Count, 0, 1);
            Assert.Equal(count, await cluster.DbAsync(db =>
                db.Outbox.CountAsync(m => m.To.StartsWith(batch) && m.SentAt != null, Cancel)));
            // Both nodes delivered part of it.
            Assert.Contains(cluster.LogLines(1, logFrom.Item1), l => l.Contains("sent at attempt", StringComparison.Ordinal));
            Assert.Contains(cluster.LogLines(2, logFrom.Item2), l => l.Contains("sent at attempt", StringComparison.Ordinal));
        }
        finally
        {
            await cluster.EnsureNodeAsync(1);
        }
    }

    [Fact]
    public async Task Reminders_and_housekeeping_on_both_nodes_send_each_reminder_once_and_log_no_error()
    {
        cluster.Require();
        var logFrom = (cluster.LogLength(1), cluster.LogLength(2));
        // Their passwords end in 20 days: each is owed one reminder (30 days before), now.
        var validUntil = FrenchFormat.ParisDate(DateTimeOffset.UtcNow).AddDays(20);
        var spaces = await NewAccountsAsync(150, validUntil);
        var addresses = spaces.Select(s => s.Email).ToHashSet();
        IReadOnlyList<SinkMail> Reminders() => cluster.Mail().Where(m => addresses.Contains(m.To)).ToList();

        await WaitUntilAsync(() => Reminders().Count >= spaces.Count, TimeSpan.FromSeconds(60), "every reminder");
        // Both nodes run the job every second: give them a few more runs.
        await Task.Delay(TimeSpan.FromSeconds(3), Cancel);

        var reminders = Reminders();
        Assert.Equal(addresses.Order(), reminders.Select(m => m.To).Order());
        Assert.All(reminders, m => Assert.Equal("PasswordExpiryReminder", m.Kind));
        var errors = cluster.LogLines(1, logFrom.Item1).Concat(cluster.LogLines(2, logFrom.Item2))
            .Where(l => l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || l.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal))
            .ToList();
        Assert.True(errors.Count == 0, $"{errors.Count} errors logged, first: " + string.Join('\n', errors.Take(2).Select(l => l[..Math.Min(l.Length, 600)])));
    }

    [Fact]
    public async Task Both_nodes_started_at_once_on_an_empty_database_migrated_it_once_and_made_one_key()
    {
        cluster.Require();
        var migrations = await cluster.DbAsync(db => Task.FromResult(db.Database.GetMigrations().ToList()));
        var applying = cluster.LogLines(1).Concat(cluster.LogLines(2))
            .Where(l => l.Contains("Applying migration", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(migrations.Count, applying.Count);
        Assert.Empty(await cluster.DbAsync(db => db.Database.GetPendingMigrationsAsync(Cancel)));
        Assert.Equal(1, await cluster.DbAsync(db => db.DataProtectionKeys.CountAsync(Cancel)));
        Assert.Contains(cluster.LogLines(1), l => l.Contains("Now listening on", StringComparison.Ordinal));
        Assert.Contains(cluster.LogLines(2), l => l.Contains("Now listening on", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_node_that_may_not_migrate_refuses_an_unmigrated_database_until_the_migrate_only_command_has_run()
    {
        cluster.Require();
        var database = await cluster.NewDatabaseAsync();
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSQL",
            ["ConnectionStrings__EspacePro"] = database,
            ["Database__MigrateOnStart"] = "false",
        };

        var (refusedStatus, refusedOutput) = await RunAppAsync(settings);
        Assert.Equal(1, refusedStatus);
        Assert.Contains("Database:MigrateOnStart is false", refusedOutput);
        Assert.Contains("--migrate-only", refusedOutput);
        Assert.DoesNotContain("Now listening", refusedOutput);

        var (migratedStatus, migratedOutput) = await RunAppAsync(settings, "--migrate-only");
        Assert.True(migratedStatus == 0, migratedOutput);
        var options = new DbContextOptionsBuilder<EspaceProDbContext>()
            .UseNpgsql(database, o => o.MigrationsAssembly("EspacePro.Migrations.PostgreSQL")).Options;
        await using var db = new EspaceProDbContext(options);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Cancel));
        Assert.Equal(1, await db.DataProtectionKeys.CountAsync(Cancel));
    }

    [Fact]
    public async Task A_node_killed_under_load_leaves_its_users_to_the_other_logged_in_and_mid_wizard()
    {
        cluster.Require();
        var spaces = await NewAccountsAsync(5);
        var browsers = new List<ClusterBrowser>();
        try
        {
            foreach (var (email, password) in spaces.Take(3))
            {
                var browser = new ClusterBrowser(cluster);
                browsers.Add(browser);
                await browser.LoginAsync(email, password, cluster.Entry, cluster.Entry);
            }
            // The fourth space's owner asks for a new login e-mail; another browser is at the
            // wizard's second step when the node goes.
            var (wizardEmail, wizardPassword) = spaces[3];
            var newEmail = "nouvelle." + wizardEmail;
            var owner = new ClusterBrowser(cluster);
            browsers.Add(owner);
            await owner.LoginAsync(wizardEmail, wizardPassword, cluster.Entry, cluster.Entry);
            var saved = await owner.Via(cluster.Entry).SubmitIdentifiersAsync(await owner.Via(cluster.Entry).OpenAsync(), newEmail: newEmail);
            Assert.EndsWith("/enregistrement", saved.Url.AbsolutePath);
            var code = Identifiers.ActivationCodeIn((await cluster.MailToAsync(newEmail)).Text);
            var wizard = new ClusterBrowser(cluster);
            browsers.Add(wizard);
            var step2 = await wizard.SubmitAsync(await wizard.Via(cluster.Entry).GetAsync("/activation"), cluster.Entry,
                "#form-code", new Dictionary<string, string?> { ["Code"] = code });
            Assert.Equal("/activation/identifiants", step2.Url.AbsolutePath);

            using var stop = new CancellationTokenSource();
            var statuses = new System.Collections.Concurrent.ConcurrentBag<(HttpStatusCode Status, string Node)>();
            var load = browsers.Take(3).Select(browser => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var page = await browser.Via(cluster.Entry).GetAsync("/", follow: false);
                    statuses.Add((page.Status, page.Response.Headers.GetValues("X-Upstream").Last()));
                }
            })).ToList();
            await Task.Delay(TimeSpan.FromSeconds(1.5), Cancel);
            await cluster.KillNodeAsync(1);
            var killedAt = statuses.Count;
            await Task.Delay(TimeSpan.FromSeconds(3), Cancel);
            await stop.CancelAsync();
            await Task.WhenAll(load);

            Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s.Status));
            Assert.True(statuses.Count > killedAt, "no request after the kill");
            // New work goes to the survivor: a login, then a password change, through nginx.
            var (lateEmail, latePassword) = spaces[4];
            var late = new ClusterBrowser(cluster);
            browsers.Add(late);
            await late.LoginAsync(lateEmail, latePassword, cluster.Entry, cluster.Entry);
            var changed = await late.Via(cluster.Entry).SubmitIdentifiersAsync(await late.Via(cluster.Entry).OpenAsync(), newPassword: Identifiers.NewPassword);
            Assert.EndsWith("/enregistrement", changed.Url.AbsolutePath);
            Assert.Equal(Node2.Authority, changed.Response.Headers.GetValues("X-Upstream").Last());
            var step3 = await wizard.SubmitAsync(step2, cluster.Entry, "#form-identifiants-activation",
                new Dictionary<string, string?> { ["Email"] = newEmail });
            Assert.Contains("Votre modification", step3.Text);
            Assert.Equal(Node2.Authority, step3.Response.Headers.GetValues("X-Upstream").Last());
            foreach (var browser in browsers.Take(3))
            {
                Assert.Equal(HttpStatusCode.OK, (await browser.Via(cluster.Entry).GetAsync("/", follow: false)).Status);
            }
        }
        finally
        {
            browsers.ForEach(b => b.Dispose());
            await cluster.EnsureNodeAsync(1);
        }
    }

    [Fact]
    public async Task The_database_out_of_reach_gets_the_French_503_page_then_both_nodes_serve_within_10_s_and_no_change_is_half_made()
    {
        cluster.Require();
        var spaces = await NewAccountsAsync(2);
        using var changer = new ClusterBrowser(cluster);
        using var reader = new ClusterBrowser(cluster);
        await changer.LoginAsync(spaces[0].Email, spaces[0].Password, cluster.Entry, cluster.Entry);
        await reader.LoginAsync(spaces[1].Email, spaces[1].Password, cluster.Entry, cluster.Entry);
        var form = await changer.Via(cluster.Entry).OpenAsync();

        var answers = new List<Page>();
        await cluster.CloseDatabaseAsync();
        try
        {
            answers.Add(await changer.Via(cluster.Entry).SubmitIdentifiersAsync(form, newPassword: Identifiers.NewPassword));
            // Through both nodes, past the nodes' 5-s cache of a session's check.
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(7))
            {
                answers.Add(await reader.Via(cluster.Entry).GetAsync("/", follow: false));
                await Task.Delay(250, Cancel);
            }
        }
        finally
        {
            await cluster.ReopenDatabaseAsync();
        }
        var back = Stopwatch.StartNew();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answers[0].Status);
        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.OK
            || a.Status == HttpStatusCode.ServiceUnavailable && a.Document.QuerySelector("h1")?.TextContent == "Service momentanément indisponible",
            $"{a.Status}: {a.Document.QuerySelector("h1")?.TextContent}"));
        // Healthy again: both nodes ready and the reader's session served by each.
        var served = new HashSet<string>();
        while (served.Count < 2 || !await ReadyAsync(Node1) || !await ReadyAsync(Node2))
        {
            Assert.True(back.Elapsed < TimeSpan.FromSeconds(10), $"not healthy 10 s after the database's return (served by {string.Join(", ", served)})");
            var page = await reader.Via(cluster.Entry).GetAsync("/", follow: false);
            if (page.Status == HttpStatusCode.OK)
            {
                served.Add(page.Response.Headers.GetValues("X-Upstream").Last());
            }
            await Task.Delay(100, Cancel);
        }
        // The refused change left nothing: the old password opens the space, no mail was queued.
        using var again = new ClusterBrowser(cluster);
        await again.LoginAsync(spaces[0].Email, spaces[0].Password, cluster.Entry, cluster.Entry);
        Assert.Equal(0, await cluster.DbAsync(db => db.Outbox.CountAsync(m => m.To == spaces[0].Email, Cancel)));
    }

    [Fact]
    public async Task Mail_queued_while_the_relay_is_down_shows_in_the_metrics_and_arrives_once_each_after_its_return()
    {
        cluster.Require();
        var (email, password) = (await NewAccountsAsync(1))[0];
        using var owner = new ClusterBrowser(cluster);
        await owner.LoginAsync(email, password, cluster.Entry, cluster.Entry);
        var batch = "relais-" + Guid.NewGuid().ToString("N")[..8];
        await cluster.StopSinkAsync();
        try
        {
            // A real change (its notice) and a batch queued at once.
            var saved = await owner.Via(cluster.Entry).SubmitIdentifiersAsync(await owner.Via(cluster.Entry).OpenAsync(), newPassword: Identifiers.NewPassword);
            Assert.EndsWith("/enregistrement", saved.Url.AbsolutePath);
            await cluster.DbAsync(async db =>
            {
                var now = DateTimeOffset.UtcNow;
                db.Outbox.AddRange(Enumerable.Range(0, 20).Select(i => new OutboxMessage
                {
                    Id = Guid.CreateVersion7(), CreatedAt = now, Kind = "PasswordChanged", To = $"{batch}-{i}@espacepro.test",
                    Subject = $"Message {i}", TextBody = $"Message {i}.", HtmlBody = $"<p>Message {i}.</p>", NextAttemptAt = now,
                }));
                return await db.SaveChangesAsync(Cancel);
            });
            // Each has been tried and refused by the missing relay; the nodes' metrics show them waiting.
            await WaitUntilAsync(async () => await cluster.DbAsync(db => db.Outbox.CountAsync(m => m.To.StartsWith(batch) && m.Attempts > 0, Cancel)) == 20,
                TimeSpan.FromSeconds(20), "a first attempt of every mail");
            Assert.True(await ClusterFixture.MetricAsync(Node1, "espacepro_outbox_backlog") >= 21);
            Assert.True(await ClusterFixture.MetricAsync(Node2, "espacepro_outbox_oldest_age_seconds") > 0);
        }
        finally
        {
            await cluster.EnsureSinkAsync();
        }
        IReadOnlyList<SinkMail> Arrived() => cluster.Mail().Where(m => m.To.StartsWith(batch, StringComparison.Ordinal) || m.To == email).ToList();
        // The next attempt comes 30 s after the refused one.
        await WaitUntilAsync(() => Arrived().Count >= 21, TimeSpan.FromSeconds(50), "every mail after the relay's return");
        await Task.Delay(TimeSpan.FromSeconds(1), Cancel);

        var arrived = Arrived();
        Assert.Equal(21, arrived.Count);
        Assert.Equal(21, arrived.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(0, await cluster.DbAsync(db => db.Outbox.CountAsync(m => (m.To.StartsWith(batch) || m.To == email) && m.SentAt == null, Cancel)));
    }

    private static async Task<bool> ReadyAsync(Uri node)
    {
        using var client = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            return (await client.GetAsync("/health/ready", Cancel)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>
    /// New activated spaces, copies of the demo space with one company (same password), each with
    /// its own e-mail and subscriber number, so that a test's changes touch no other test.
    /// </summary>
    private Task<List<(string Email, string Password)>> NewAccountsAsync(int count, DateOnly? passwordValidUntil = null) =>
        cluster.DbAsync(async db =>
        {
            var model = await db.Users.AsNoTracking().SingleAsync(a => a.Email == Users.Lila.Email, Cancel);
            var spaces = new List<(string, string)>();
            for (var i = 0; i < count; i++)
            {
                var email = $"grappe.{Guid.NewGuid().ToString("N")[..16]}@espacepro.test";
                var subscriber = "9" + RandomNumberGenerator.GetInt32(0, int.MaxValue).ToString("D13");
                var copy = await db.Users.AsNoTracking().SingleAsync(a => a.Id == model.Id, Cancel);
                copy.Id = Guid.NewGuid();
                copy.Email = email;
                copy.NormalizedEmail = email.ToUpperInvariant();
                copy.UserName = copy.NormalizedUserName = subscriber;
                copy.SubscriberNumber = subscriber;
                copy.SecurityStamp = Guid.NewGuid().ToString("N");
                copy.ConcurrencyStamp = Guid.NewGuid().ToString();
                copy.Companies = [];
                if (passwordValidUntil is { } date)
                {
                    copy.PasswordValidUntil = date;
                }
                db.Users.Add(copy);
                spaces.Add((email, Users.Lila.Password));
            }
            await db.SaveChangesAsync(Cancel);
            return spaces;
        });

    /// <summary>Runs the application once as an operator would (`dotnet EspacePro.Web.dll`), until it exits.</summary>
    private static async Task<(int Status, string Output)> RunAppAsync(Dictionary<string, string> settings, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoPaths.WebProject,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(ClusterFixture.WebDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var inherited in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "DOTNET_ENVIRONMENT" })
        {
            start.Environment.Remove(inherited);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_CONTENTROOT"] = RepoPaths.WebProject;
        // Should it start serving after all, on a port of its own that nothing else uses.
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.6:0";
        start.Environment["App__PublicBaseUrl"] = "https://127.0.0.1/";
        start.Environment["Mail__Smtp__Host"] = "127.0.0.5";
        start.Environment["DataProtection__CertificatePath"] = KeyCertificates.First.Path;
        start.Environment["DataProtection__CertificatePassword"] = KeyCertificates.First.Password;
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Cancel);
        var errors = process.StandardError.ReadToEndAsync(Cancel);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Cancel);
            return (-1, "still running after 90 s:\n" + await output + await errors);
        }
        return (process.ExitCode, await output + await errors);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout} for {what}");
            }
            await Task.Delay(200, Cancel);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout} for {what}");
            }
            await Task.Delay(100, Cancel);
        }
    }

    private static async Task<bool> Pause(int milliseconds)
    {
        await Task.Delay(milliseconds, Cancel);
        return true;
    }
}
