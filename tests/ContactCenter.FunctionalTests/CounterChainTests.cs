using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Realtime;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// The chain of counters each user's pushes follow (CounterChain), on the real Redis and in memory: two nodes
/// advancing it with reads that finish in any order still emit one linear chain of steps, whose sum is the newest read.
/// </summary>
public sealed class CounterChainTests : IAsyncLifetime
{
    private readonly string prefix = "chain-test-" + Guid.NewGuid().ToString("N")[..8];
    private ConnectionMultiplexer redis = null!;

    public async Task InitializeAsync() => redis = await ConnectionMultiplexer.ConnectAsync(TestEnvironment.Redis);

    public async Task DisposeAsync()
    {
        await redis.GetDatabase().KeyDeleteAsync(prefix + ":counters");
        await redis.DisposeAsync();
    }

    private CounterChain Node(bool withRedis = true)
    {
        var services = new ServiceCollection();
        if (withRedis)
        {
            services.AddSingleton<IConnectionMultiplexer>(redis);
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Realtime:ChannelPrefix"] = prefix }).Build();
        return new CounterChain(services.BuildServiceProvider(), configuration, NullLogger<CounterChain>.Instance);
    }

    private static Counters Read(long version, long unread, long overdue = 0) =>
        new(unread, unread * 2, 1, 0, overdue, 0, 0) { Version = CountersVersion.Of(version, 0, DateTimeOffset.UnixEpoch) };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Reads_finishing_in_any_order_on_two_nodes_emit_one_chain_whose_sum_is_the_newest_read(bool withRedis)
    {
        var random = new Random(20261204);
        const long user = 42;
        // 2,000 reads in version order, values a random walk that often stands still (a read with nothing new).
        var reads = new List<Counters>();
        long unread = 0;
        for (var v = 1; v <= 2_000; v++)
        {
            unread = Math.Max(0, unread + random.Next(-1, 2));
            reads.Add(Read(v, unread, v % 7));
        }
        var nodes = withRedis ? new[] { Node(), Node() } : [Node(false)];
        var shuffled = reads.OrderBy(_ => random.Next()).ToList();
        var steps = new List<ChainStep>();
        await Task.WhenAll(nodes.Select((node, n) => Task.Run(async () =>
        {
            foreach (var read in shuffled.Where((_, i) => i % nodes.Length == n))
            {
                var step = (await node.AdvanceAsync(new Dictionary<long, Counters> { [user] = read }))[0];
                if (step.Advanced)
                {
                    lock (steps)
                    {
                        steps.Add(step);
                    }
                }
            }
        })));

        // In version order the steps form one chain: each continues the one before (the first from nothing).
        var chain = steps.OrderBy(s => s.Current.Version, StringComparer.Ordinal).ToList();
        Assert.True(chain.Count > 1, "expected more than one step");
        Assert.Null(chain[0].Change.From);
        for (var i = 1; i < chain.Count; i++)
        {
            Assert.Equal(chain[i - 1].Current.Version, chain[i].Change.From);
            Assert.NotEqual(chain[i - 1].Current with { Version = "" }, chain[i].Current with { Version = "" });
        }
        // Adding the changes gives the newest read's values: a client that follows the pushes ends at what REST returns.
        var sum = chain.Aggregate(Counters.Zero, (value, step) => Add(value, step.Change.Changes) with { Version = step.Current.Version });
        Assert.Equal(reads[^1] with { Version = "" }, sum with { Version = "" });
        // And REST's own read, older than the newest stored one, answers the stored value on the chain.
        var answer = (await nodes[0].AdvanceAsync(new Dictionary<long, Counters> { [user] = reads[0] }))[0];
        Assert.False(answer.Advanced);
        Assert.Equal(sum, answer.Current);
    }

    [Fact]
    public async Task A_newer_read_with_the_same_values_moves_clients_on_with_a_zero_step_and_an_older_read_cannot_follow_it()
    {
        var node = Node();
        var first = await node.AdvanceAsync(new Dictionary<long, Counters> { [7] = Read(10, 3) });
        var same = await node.AdvanceAsync(new Dictionary<long, Counters> { [7] = Read(30, 3) });
        var stale = await node.AdvanceAsync(new Dictionary<long, Counters> { [7] = Read(20, 5) });
        var next = await node.AdvanceAsync(new Dictionary<long, Counters> { [7] = Read(40, 4) });

        Assert.True(first[0].Advanced);
        // Nothing changed, yet the step goes out: a client that fell off the chain (whole values pushed while Redis
        // was away, at a version the chain never stored) sees it continue a version it does not hold, and re-reads.
        Assert.True(same[0].Advanced);
        Assert.Equal(first[0].Current.Version, same[0].Change.From);
        Assert.Equal(new CounterDeltas(0, 0, 0, 0, 0, 0, 0), same[0].Change.Changes);
        Assert.False(stale[0].Advanced); // older than the stored read: superseded
        Assert.Equal(3, stale[0].Current.UnreadConversations);
        Assert.True(next[0].Advanced);
        Assert.Equal(same[0].Current.Version, next[0].Change.From);
        Assert.Equal(1, next[0].Change.Changes.UnreadConversations);
    }

    [Fact]
    public async Task A_record_it_cannot_read_counts_as_none_and_a_flush_of_many_users_goes_in_several_calls()
    {
        await redis.GetDatabase().HashSetAsync(prefix + ":counters", 9, "garbage|1|2");
        var node = Node();
        var users = Enumerable.Range(1, CounterChain.UsersPerCall * 2 + 3).ToDictionary(i => (long)i, i => Read(50, i));

        var steps = await node.AdvanceAsync(users);

        Assert.Equal(users.Count, steps.Count);
        Assert.All(steps, s => Assert.True(s.Advanced));
        Assert.All(steps, s => Assert.Equal(users[s.UserId], s.Current)); // each answer matched to its own user across the calls
        Assert.Null(steps.Single(s => s.UserId == 9).Change.From);
    }

    private static Counters Add(Counters c, CounterDeltas d) => new(c.UnreadConversations + d.UnreadConversations, c.UnreadMessages + d.UnreadMessages,
        c.Mine + d.Mine, c.Unassigned + d.Unassigned, c.OverdueActivities + d.OverdueActivities, c.ActivitiesDueToday + d.ActivitiesDueToday,
        c.DealsWithoutActivity + d.DealsWithoutActivity) { Version = c.Version };
}
