namespace ContactCenter.Connectors.Vk;

/// <summary>
/// VK answered a method call with `{"error": {error_code, error_msg}}` (VK says so with HTTP 200), or with an HTTP
/// error status (<see cref="HttpStatus"/> set, <see cref="Code"/> 0).
/// </summary>
public sealed class VkApiException(int code, string message, int? httpStatus = null) : Exception(message)
{
    public int Code { get; } = code;

    public int? HttpStatus { get; } = httpStatus;
}
