namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// `dotnet ContactCenter.Api.dll healthcheck [url]`: the container's health check without curl or a shell in the
/// image. Exits 0 when the node's `/health/ready` answers 200 within five seconds, 1 otherwise.
/// </summary>
public static class HealthProbe
{
    public const string Command = "healthcheck";

    public static async Task<int> RunAsync(string[] args)
    {
        var url = args.Length > 1 ? args[1] : "http://127.0.0.1:8080/health/ready";
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var response = await http.GetAsync(new Uri(url));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            await Console.Error.WriteLineAsync($"not ready: {ex.Message}");
            return 1;
        }
    }
}
