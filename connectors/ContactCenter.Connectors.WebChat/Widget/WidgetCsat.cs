namespace ContactCenter.Connectors.WebChat.Widget;

public sealed record WidgetCsat(long SurveyId, int? Rating);
