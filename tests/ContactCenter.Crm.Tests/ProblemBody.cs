using System.Net;

namespace ContactCenter.Crm.Tests;

public static class ProblemBody
{
    /// <summary>Asserts a problem-details answer with this status and returns the whole body (its `errors` name the fields at fault).</summary>
    public static async Task<string> ProblemBodyAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return body;
    }
}
