namespace ContactCenter.Api.Features.Shared;

/// <summary>How a CRM (or labels, fields, automation) change ended; <see cref="CrmHttp"/> maps it to the HTTP answer.</summary>
public enum CrmStatus { Ok, NotFound, Conflict, Invalid, Forbidden }
