// Bench helper, built in Release by bench/run.sh.
//   HashTool time [seconds]   one Argon2id hash on one thread, with the application's parameters:
//                             prints "<median ms> <mean ms> <count>"
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
    default:
        Console.Error.WriteLine("usage: HashTool time [seconds] | HashTool hash <secret>");
        return 2;
}
