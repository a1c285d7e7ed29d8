import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '../i18n';
import { body, client, type Schemas } from '../api/client';
import type { ApiError } from '../lib/api';
import { newClientId } from '../lib/format';
import type { Message } from '../types';

/** The 24-hour window and opt-out state of a WhatsApp conversation (GET /api/conversations/{id}/whatsapp). */
export type WaState = Schemas['WindowDto'];

type Template = Schemas['TemplateDto'];

/** Fetches the conversation's WhatsApp state; `refresh` reloads it (after a refusal, a new customer message). */
export function useWhatsAppState(conversationId: string | number | null, enabled: boolean) {
  const [state, setState] = useState<WaState | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!enabled || conversationId === null) { setState(null); return; }
    const ctrl = new AbortController();
    body(client.GET('/api/conversations/{id}/whatsapp', { params: { path: { id: Number(conversationId) } }, signal: ctrl.signal }))
      .then(setState).catch(() => undefined);
    return () => ctrl.abort();
  }, [conversationId, enabled, version]);
  return { state, refresh: () => setVersion((v) => v + 1) };
}

/** Outside the window: says so and offers the account's approved templates with an input per body parameter. */
export function WhatsAppTemplates({ conversationId, onSent }: { conversationId: string | number; onSent: (m: Message) => void }) {
  const { t } = useI18n();
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [chosen, setChosen] = useState('');
  const [params, setParams] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const path = useMemo(() => ({ id: Number(conversationId) }), [conversationId]);

  useEffect(() => {
    const ctrl = new AbortController();
    body(client.GET('/api/conversations/{id}/whatsapp/templates', { params: { path }, signal: ctrl.signal }))
      .then(setTemplates)
      .catch((e) => { if ((e as Error).name !== 'AbortError') setError(t('waTemplatesFailed', { reason: (e as ApiError).message })); });
    return () => ctrl.abort();
  }, [path, t]);

  const template = templates?.find((x) => `${x.name}|${x.language}` === chosen) ?? null;
  const ready = !!template && params.length === template.parameterCount && params.every((p) => p.trim());

  async function send() {
    if (!template || !ready) return;
    setBusy(true);
    setError(null);
    try {
      onSent(await body(client.POST('/api/conversations/{id}/whatsapp/template', {
        params: { path }, body: { name: template.name, language: template.language, parameters: params.map((p) => p.trim()), clientMessageId: newClientId() },
      })));
      setChosen('');
      setParams([]);
    } catch (e) {
      setError(t('waTemplateFailed', { reason: (e as ApiError).message }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="wa-templates" data-testid="wa-templates">
      {templates && templates.length === 0 && <p className="muted">{t('waNoTemplates')}</p>}
      {templates && templates.length > 0 && (
        <>
          <label>{t('waTemplate')}{' '}
            <select value={chosen} onChange={(e) => {
              setChosen(e.target.value);
              const next = templates.find((x) => `${x.name}|${x.language}` === e.target.value);
              setParams(Array.from({ length: next?.parameterCount ?? 0 }, () => ''));
            }}>
              <option value="">{t('waChooseTemplate')}</option>
              {templates.map((x) => <option key={`${x.name}|${x.language}`} value={`${x.name}|${x.language}`}>{x.name} ({x.language})</option>)}
            </select>
          </label>
          {template && <p className="muted wa-template-body">{template.body}</p>}
          {params.map((p, i) => (
            <input key={i} aria-label={t('waParameter', { n: i + 1 })} placeholder={t('waParameter', { n: i + 1 })} value={p}
              onChange={(e) => setParams((list) => list.map((v, k) => (k === i ? e.target.value : v)))} />
          ))}
          <button type="button" className="primary" disabled={!ready || busy} onClick={() => void send()}>{t('waSendTemplate')}</button>
        </>
      )}
      {error && <span className="error" role="alert">{error}</span>}
    </div>
  );
}
