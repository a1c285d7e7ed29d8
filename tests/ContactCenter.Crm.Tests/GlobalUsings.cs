// HttpJson (OkJsonAsync, EventuallyAsync...) lives beside the shared fixtures.
global using ContactCenter.FunctionalTests.Infrastructure;
