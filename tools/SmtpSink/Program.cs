using System.Buffers;
using System.Globalization;
using System.Net;
using EspacePro.SmtpSink;
using MimeKit;

// The cluster's SMTP relay (deploy/cluster.sh): accepts every message on a loopback address and
// keeps each as a file, so that a run can be checked afterwards: what arrived, and how many
// distinct Message-Ids (the outbox gives every mail a stable one; a copy sent again after a
// node crashed between the relay's acceptance and the outbox's record carries the same id).
//
//   SmtpSink serve --address 127.0.0.5 --port 2525 --dir DIR
//   SmtpSink count --dir DIR        prints "messages=N distinct=M"
return args switch
{
    ["serve", .. var rest] => await ServeAsync(Options(rest)),
    ["count", .. var rest] => Count(Options(rest)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: SmtpSink serve --address 127.0.0.x --port N --dir DIR | SmtpSink count --dir DIR");
    return 2;
}

static Dictionary<string, string> Options(string[] rest)
{
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < rest.Length; i += 2)
    {
        options[rest[i].TrimStart('-')] = rest[i + 1];
    }
    return options;
}

static async Task<int> ServeAsync(Dictionary<string, string> options)
{
    var address = IPAddress.Parse(options.GetValueOrDefault("address", "127.0.0.1"));
    if (!IPAddress.IsLoopback(address))
    {
        Console.Error.WriteLine($"SmtpSink listens on loopback addresses only, not {address}.");
        return 2;
    }
    var port = int.Parse(options.GetValueOrDefault("port", "2525"), CultureInfo.InvariantCulture);
    var directory = Directory.CreateDirectory(options.GetValueOrDefault("dir", "mail")).FullName;
    var received = Directory.EnumerateFiles(directory, "*.eml").Count();

    await using var server = new SinkServer(address, port, async (buffer, cancellationToken) =>
    {
        // Written aside then moved: a reader never sees half a message.
        var number = Interlocked.Increment(ref received);
        var name = number.ToString("D7", CultureInfo.InvariantCulture) + ".eml";
        var temporary = Path.Combine(directory, "." + name + ".tmp");
        await File.WriteAllBytesAsync(temporary, buffer.ToArray(), cancellationToken);
        File.Move(temporary, Path.Combine(directory, name));
    });
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
    AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
    await server.StartAsync();
    Console.WriteLine($"SmtpSink: listening on {address}:{server.Port}, messages in {directory}");
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
    }
    return 0;
}

static int Count(Dictionary<string, string> options)
{
    var directory = options.GetValueOrDefault("dir", "mail");
    var ids = new HashSet<string>(StringComparer.Ordinal);
    var messages = 0;
    foreach (var file in Directory.EnumerateFiles(directory, "*.eml"))
    {
        messages++;
        using var stream = File.OpenRead(file);
        var headers = HeaderList.Load(stream);
        ids.Add(headers[HeaderId.MessageId] ?? file);
    }
    Console.WriteLine($"messages={messages} distinct={ids.Count}");
    return 0;
}
