using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using EspacePro.Tests.Infrastructure;

namespace EspacePro.Tests.Observability;

/// <summary>The real application as a process in Production: its console lines, as a log collector reads them.</summary>
public sealed class JsonLogTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_request_s_json_log_lines_carry_its_trace_id()
    {
        var data = Directory.CreateTempSubdirectory("espacepro-log-");
        using var process = Start(data.FullName);
        var lines = Channel.CreateUnbounded<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lines.Writer.TryWrite(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var listening = await NextAsync(lines, line => Message(line)?.StartsWith("Now listening on: ", StringComparison.Ordinal) == true);
            var address = new Uri(Message(listening)!["Now listening on: ".Length..]);

            using var client = new HttpClient { BaseAddress = address };
            var response = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode);

            var starting = await NextAsync(lines, line => Message(line)?.StartsWith("Request starting", StringComparison.Ordinal) == true);
            var finished = await NextAsync(lines, line => Message(line)?.StartsWith("Request finished", StringComparison.Ordinal) == true);
            var traceId = TraceId(starting);
            Assert.Matches("^[0-9a-f]{32}$", traceId);
            Assert.NotEqual(new string('0', 32), traceId);
            Assert.Equal(traceId, TraceId(finished));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            data.Delete(recursive: true);
        }
    }

    private static Process Start(string dataDirectory)
    {
        var binaries = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var web = Path.Combine(RepoPaths.WebProject, "bin", binaries.Parent!.Name, binaries.Name, "EspacePro.Web.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.WebProject,
        };
        start.ArgumentList.Add(web);
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(inherited);
        }
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["ASPNETCORE_CONTENTROOT"] = RepoPaths.WebProject,
            ["App__PublicBaseUrl"] = "https://espacepro.test",
            ["App__DataDirectory"] = dataDirectory,
            ["Mail__Delivery"] = "Directory",
            ["DemoData__Enabled"] = "false",
            ["DataProtection__CertificatePath"] = KeyCertificates.First.Path,
            ["DataProtection__CertificatePassword"] = KeyCertificates.First.Password,
            // The framework's own request lines, so that a request logs something.
            ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    private static async Task<string> NextAsync(Channel<string> lines, Func<string, bool> match)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var line = await lines.Reader.ReadAsync(timeout.Token);
            if (match(line))
            {
                return line;
            }
        }
    }

    private static string? Message(string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.TryGetProperty("Message", out var message) ? message.GetString() : null;
        }
        catch (JsonException)
        {
            throw new InvalidOperationException("Not a JSON log line: " + line);
        }
    }

    private static string? TraceId(string line)
    {
        using var json = JsonDocument.Parse(line);
        // No scopes: the request path they hold can carry a reset or cancellation token.
        Assert.False(json.RootElement.TryGetProperty("Scopes", out _));
        return json.RootElement.TryGetProperty("TraceId", out var id) ? id.GetString() : null;
    }
}
