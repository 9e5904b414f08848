// Bench helper, built in Release by bench/run.sh.
//   HashTool time [seconds]   one Argon2id hash on one thread, with the application's parameters:
//                             prints "<median ms> <mean ms> <count>"
//   HashTool parallel <threads> [seconds]
//                             the same derivation on <threads> threads at once: prints
//                             "<hashes per second> <mean ms per hash> <count>"
//   HashTool hash <secret>    prints a PHC hash of <secret> (for bulk-seeded spaces)
using System.Diagnostics;
using EspacePro.Web.Accounts;

var hasher = new Argon2idPasswordHasher();
switch (args.FirstOrDefault())
{
    case "hash" when args.Length == 2:
        Console.WriteLine(hasher.Hash(args[1]));
        return 0;
    case "time":
        var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var encoded = hasher.Hash("Warm-up-password-for-the-bench");
        for (var i = 0; i < 3; i++)
        {
            hasher.Verify(encoded, "Warm-up-password-for-the-bench");
        }
        // Verify is what a login does: one derivation with the stored parameters.
        var samples = new List<double>();
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds || samples.Count < 20)
        {
            var one = Stopwatch.StartNew();
            hasher.Verify(encoded, "Warm-up-password-for-the-bench");
            samples.Add(one.Elapsed.TotalMilliseconds);
        }
        samples.Sort();
        var median = samples[samples.Count / 2];
        var mean = samples.Average();
        Console.WriteLine(FormattableString.Invariant($"{median:F3} {mean:F3} {samples.Count}"));
        return 0;
    case "parallel" when args.Length >= 2:
    {
        var threads = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
        var runSeconds = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5;
        var stored = hasher.Hash("Warm-up-password-for-the-bench");
        hasher.Verify(stored, "Warm-up-password-for-the-bench");
        var count = 0;
        var busy = 0.0;
        var gate = new object();
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            var mine = 0;
            var ms = 0.0;
            while (clock.Elapsed.TotalSeconds < runSeconds)
            {
                var one = Stopwatch.StartNew();
                hasher.Verify(stored, "Warm-up-password-for-the-bench");
                ms += one.Elapsed.TotalMilliseconds;
                mine++;
            }
            lock (gate) { count += mine; busy += ms; }
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        var elapsed = clock.Elapsed.TotalSeconds;
        Console.WriteLine(FormattableString.Invariant($"{count / elapsed:F1} {busy / count:F3} {count}"));
        return 0;
    }
    default:
        Console.Error.WriteLine("usage: HashTool time [seconds] | HashTool parallel <threads> [seconds] | HashTool hash <secret>");
        return 2;
}
