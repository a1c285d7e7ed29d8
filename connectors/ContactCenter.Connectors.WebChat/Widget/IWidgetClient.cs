namespace ContactCenter.Connectors.WebChat.Widget;

public interface IWidgetClient
{
    Task messageCreated(WidgetMessage message);

    Task typing(WidgetTyping typing);

    Task read(WidgetRead read);
}
#pragma warning restore IDE1006
