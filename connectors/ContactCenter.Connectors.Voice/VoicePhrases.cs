namespace ContactCenter.Connectors.Voice;

/// <summary>What callers hear, in the channel's language (`language`: en or ru).</summary>
public static class VoicePhrases
{
    public static string RecordingNotice(string language) => language == "ru"
        ? "Этот звонок может быть записан."
        : "This call may be recorded.";

    public static string NobodyAvailable(string language) => language == "ru"
        ? "Сейчас все менеджеры заняты."
        : "All our managers are busy right now.";

    public static string LeaveMessage(string language) => language == "ru"
        ? "Оставьте сообщение после сигнала, и мы перезвоним."
        : "Please leave a message after the tone and we will call you back.";
}
