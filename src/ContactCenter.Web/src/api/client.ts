// The typed client of the API's OpenAPI document: docs/openapi.json (the served /openapi/v1.json, kept up to date by
// OpenApiDocumentTests) -> src/api/schema.d.ts (openapi-typescript, `npm run api`, run by `npm run build`). Paths,
// parameters, bodies and answers are checked by tsc against the server's own description.
// The session works as in lib/api: the bearer token and the app's language on every call, a 401 ends the session, and an error answer
// throws ApiError with the problem details' `detail`, so callers handle failures the same way for both.
import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError, delay, getApiLanguage, getToken, problemError, retryAfterMs, sessionEnded } from '../lib/api';
import type { components, paths } from './schema';

/** The API's schemas by name, e.g. `Schemas['LabelDto']`. */
export type Schemas = components['schemas'];

const session: Middleware = {
  onRequest({ request }) {
    const token = getToken();
    if (token && !request.headers.has('Authorization')) request.headers.set('Authorization', `Bearer ${token}`);
    request.headers.set('Accept', 'application/json');
    request.headers.set('Accept-Language', getApiLanguage());
    return request;
  },
  async onResponse({ request, response }) {
    // A read that waited in a full queue on the server (429, Retry-After: 1) is asked once more (lib/api.ts, retryAfterMs).
    const wait = retryAfterMs(request.method, response);
    let answer = response;
    if (wait !== null) {
      await delay(wait, request.signal);
      try {
        answer = await fetch(request);
      } catch (e) {
        // As onError does for the first try (openapi-fetch does not pass a middleware's own fetch through onError).
        if ((e as Error).name === 'AbortError') throw e;
        throw new ApiError(0, (e as Error).message || 'network error');
      }
    }
    if (answer.status === 401) sessionEnded();
    if (!answer.ok) throw await problemError(answer);
    return answer === response ? undefined : answer;
  },
  onError({ error }) {
    if ((error as Error).name === 'AbortError') return error as Error;
    return new ApiError(0, (error as Error).message || 'network error');
  },
};

// Same origin as the page (relative paths need a base outside a browser, e.g. in unit tests).
export const client = createClient<paths>({ baseUrl: typeof location === 'undefined' ? '' : location.origin });
client.use(session);

/** The answer's body: an error answer has already thrown ApiError in the middleware. */
export async function body<T>(call: Promise<{ data?: T; response: Response }>): Promise<T> {
  return (await call).data as T;
}

/**
 * A multipart upload's options: the document does not describe form bodies (the upload handlers read the form
 * themselves), so the route is checked but the body is not; openapi-fetch sends FormData as it is (the browser sets
 * the boundary).
 */
export const formBody = (form: FormData) => ({ body: form as never });

/** An id the document types as a number, from the app's opaque `Id` (undefined stays undefined: the field is left out). */
export const optionalId = (id: string | number | null | undefined) => (id == null ? undefined : Number(id));
