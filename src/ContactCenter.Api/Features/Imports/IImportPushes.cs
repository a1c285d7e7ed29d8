namespace ContactCenter.Api.Features.Imports;

/// <summary>
/// What an import pushes to the importing user. The hub layer implements it (<c>Realtime.HubPushes</c>); declaring it
/// here keeps the dependency one way: Realtime uses Imports, never the reverse.
/// </summary>
public interface IImportPushes
{
    /// <summary>`importProgress`, to the importing user only.</summary>
    Task ImportProgressAsync(long userId, ImportProgress progress);
}
