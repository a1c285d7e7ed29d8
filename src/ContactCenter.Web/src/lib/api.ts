// fetch with the bearer token and problem details turned into ApiError. New calls go through the generated client
// (api/client.ts); this stays for multipart uploads (`form`), blob downloads (`request`, `blobUrl`) and the calls
// whose request body the OpenAPI document cannot type yet (docs/web-app.md, "API calls").
import type { Session } from '../types';

export class ApiError extends Error {
  constructor(public status: number, public detail: string, public errors?: Record<string, string[]>) { super(detail); }
  get notAvailable() { return this.status === 404 || this.status === 405 || this.status === 501; }
}

let currentToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setAuth(token: string | null, unauthorized: (() => void) | null) {
  currentToken = token;
  onUnauthorized = unauthorized;
}
export const getToken = () => currentToken;

let language = 'en';
/** The app's language, sent as `Accept-Language`: the server's problem texts come back in it. */
export const setApiLanguage = (l: string) => { language = l; };
export const getApiLanguage = () => language;

/** `body` is sent as JSON, `form` as multipart/form-data (the browser sets its boundary). */
/** `keepSession`: a 401 is the caller's to handle (it does not end the session by itself). */
export interface RequestOptions { method?: string; body?: unknown; form?: FormData; signal?: AbortSignal; anonymous?: boolean; keepSession?: boolean }

export async function request(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language };
  if (!options.anonymous && currentToken) headers.Authorization = `Bearer ${currentToken}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const hasBody = options.body !== undefined || options.form !== undefined;
  const method = options.method ?? (hasBody ? 'POST' : 'GET');
  let response: Response;
  for (let attempt = 0; ; attempt++) {
    try {
      response = await fetch(path, {
        method, headers, body: options.form ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined), signal: options.signal,
      });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiError(0, (e as Error).message || 'network error');
    }
    const wait = attempt === 0 ? retryAfterMs(method, response) : null;
    if (wait === null) break;
    await delay(wait, options.signal);
  }
  if (response.status === 401 && !options.anonymous && !options.keepSession) sessionEnded();
  if (!response.ok) throw await problemError(response);
  return response;
}

/**
 * How long to wait before asking a read again: a GET the server let wait in a full queue answers 429 with a short
 * `Retry-After` (its read gates, docs/API-EXTENSIONS.md "Session 38"), and one more try a second later is what a user
 * would do. Null for anything else (a write is never repeated by itself; a long Retry-After is the user's to wait).
 */
export function retryAfterMs(method: string, response: Response): number | null {
  if (response.status !== 429 || method.toUpperCase() !== 'GET') return null;
  const header = response.headers.get('Retry-After');
  // No header (a proxy's 429, not the read gates'): Number(null) would be 0, an immediate repeat.
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 && seconds <= 5 ? seconds * 1000 : null;
}

/** Resolves after `ms`, or rejects with the signal's AbortError when it is aborted first. */
export function delay(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(signal.reason ?? new DOMException('Aborted', 'AbortError')); return; }
    const timer = setTimeout(() => { signal?.removeEventListener('abort', aborted); resolve(); }, ms);
    function aborted() { clearTimeout(timer); reject(signal?.reason ?? new DOMException('Aborted', 'AbortError')); }
    signal?.addEventListener('abort', aborted, { once: true });
  });
}

/** A 401 on a signed-in call: the session is over (the app goes back to sign-in). */
export const sessionEnded = () => onUnauthorized?.();

/** The ApiError of an error answer: its problem details' `detail` (else `title`) and field `errors`. */
export async function problemError(response: Response): Promise<ApiError> {
  let detail = response.statusText || `HTTP ${response.status}`;
  let errors: Record<string, string[]> | undefined;
  try {
    const problem = await response.json();
    detail = problem.detail || problem.title || detail;
    errors = problem.errors;
  } catch { /* not JSON */ }
  return new ApiError(response.status, detail, errors);
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await request(path, options);
  if (response.status === 204 || response.headers.get('content-length') === '0') return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const query = (params: Record<string, string | number | null | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

export const login = (email: string, password: string) =>
  api<Session>('/api/auth/login', { body: { email, password }, anonymous: true });

/** Fetches a protected file (attachments need the bearer header) as an object URL. */
export async function blobUrl(path: string, signal?: AbortSignal): Promise<string> {
  const response = await request(path, { signal });
  return URL.createObjectURL(await response.blob());
}
