import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { client } from '../api/client';
import { blobUrl } from '../lib/api';
import { fileProblem } from '../lib/errors';
import { duration } from '../lib/format';
import type { Call, Id } from '../types';

/** A phone call wherever it shows (the thread, a lead's or deal's timeline): who, how long, missed, and its recording. */
export function CallView({ call }: { call: Call }) {
  const { t, lang } = useI18n();
  const title = call.missed ? t('callMissed') : call.direction === 'outbound' ? t('callOutbound') : t('callInbound');
  const final = ['completed', 'busy', 'no-answer', 'canceled', 'failed'].includes(call.status);
  return (
    <div className={`call ${call.missed ? 'missed' : ''}`} data-testid="call" data-missed={String(call.missed)}>
      <div><span aria-hidden="true">{call.missed ? '☎︎✗' : '☎︎'}</span> <strong>{title}</strong> <span className="muted">{t('callFromTo', { from: call.from, to: call.to })}</span></div>
      <div className="muted">
        {call.durationSeconds != null && !call.missed && <span>{t('callDuration', { duration: duration(call.durationSeconds, lang) })} </span>}
        {call.answeredBy && !call.missed && <span>{t('callAnsweredBy', { name: call.answeredBy })}</span>}
        {!final && !call.missed && <span>{t('callRinging')}</span>}
      </div>
      {call.recordingAttachmentId != null && <RecordingPlayer attachmentId={call.recordingAttachmentId} />}
    </div>
  );
}

/** The recording is an authorised attachment (bearer header), so it is fetched as a blob and played from an object URL. */
export function RecordingPlayer({ attachmentId }: { attachmentId: Id }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    let made: string | null = null;
    blobUrl(`/api/attachments/${encodeURIComponent(String(attachmentId))}`, ctrl.signal)
      .then((u) => { made = u; setUrl(u); })
      .catch((e) => { if ((e as Error).name !== 'AbortError') setProblem(fileProblem(e, t)); });
    return () => { ctrl.abort(); if (made) URL.revokeObjectURL(made); };
  }, [attachmentId, t]);
  if (problem) return <p className="muted">{problem}</p>;
  if (!url) return <p className="muted">{t('callRecordingLoading')}</p>;
  return <audio controls preload="metadata" src={url} aria-label={t('callRecording')} data-testid="call-recording" />;
}

/** Click-to-call: Twilio rings the manager's own phone first, then the contact (POST /api/contacts/{id}/call). */
export function CallButton({ contactId }: { contactId: Id }) {
  const { t } = useI18n();
  const [state, setState] = useState<string | null>(null);
  async function call() {
    try {
      await client.POST('/api/contacts/{id}/call', { params: { path: { id: Number(contactId) } }, body: {} });
      setState(t('callStarted'));
    } catch (e) {
      setState((e as Error).message);
    }
  }
  return (
    <span className="row">
      <button type="button" onClick={() => void call()} title={t('callContactTitle')}>☎︎ {t('callContact')}</button>
      {state && <span className="muted" role="status">{state}</span>}
    </span>
  );
}
