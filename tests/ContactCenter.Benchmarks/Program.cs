using ContactCenter.Benchmarks;
using ContactCenter.Benchmarks.Helpers;

// ./bench.sh runs `run`; the other two modes are this tool's own helper processes.
return args.FirstOrDefault() switch
{
    "bare-server" => await BareServer.RunAsync(args[1..]),
    "hold" => await Holder.RunAsync(args[1..]),
    "run" => await Runner.RunAsync(BenchOptions.Parse(args[1..])),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: ContactCenter.Benchmarks run --pg <conn> --redis <host:port> --app-dll <path> --pgbench <path>
                                            --results <dir> --work <dir> [--quick] [--only s1,s2,...] [--connections N]
                                            [--managers N] [--conversations N] [--messages N]
        Normally started by ./bench.sh, which starts PostgreSQL and Redis first.
        """);
    return 2;
}
