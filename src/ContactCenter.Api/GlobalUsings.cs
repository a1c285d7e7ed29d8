// The small records every feature names others by (UserRef, ContactRef, ChannelRef, Page<T>): shared by all, owned by none.
global using ContactCenter.Api.Features.Shared;
