import { useState } from 'react';
import type { CustomField } from '../../components/fields/fieldTypes';
import { useCustomFields } from '../../components/fields/useCustomFields';
import { useI18n } from '../../i18n';
import { body, client, formBody, type Schemas } from '../../api/client';
import { explain } from '../../lib/errors';
import { useHubEvent } from '../../live';
import type { StringKey } from '../../strings';
import type { Id } from '../../types';

const FIELDS = { contact: ['name', 'email', 'phone', 'company'], lead: ['name', 'email', 'phone', 'company', 'title'] } as const;
type Progress = { processed: number; total: number };

/**
 * `/contacts/import`: upload a CSV, see how the server reads it (encoding, delimiter, first rows), map the columns,
 * run it as a background job with live progress (`importProgress`), then read the row-by-row report.
 */
const readReport = (id: Id) => body(client.GET('/api/imports/{id}', { params: { path: { id: Number(id) } } }));

export function ImportPage() {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [entity, setEntity] = useState<'contact' | 'lead'>('contact');
  const [hasHeader, setHasHeader] = useState(true);
  const [preview, setPreview] = useState<Schemas['ImportPreview'] | null>(null);
  const [map, setMap] = useState<Record<string, string>>({});
  const [importId, setImportId] = useState<Id | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [report, setReport] = useState<Schemas['ImportReport'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const contactFields = useCustomFields('contact');
  const leadFields = useCustomFields('lead');
  // The server's rule (ImportFields): a lead import fills the lead's field of a key, else the contact's.
  const custom: CustomField[] = entity === 'lead'
    ? [...(leadFields.data ?? []), ...(contactFields.data ?? []).filter((c) => !(leadFields.data ?? []).some((l) => l.key === c.key))]
    : contactFields.data ?? [];
  const targets = [...FIELDS[entity], ...custom.map((f) => `field.${f.key}`)];

  async function choose(f: File | null) {
    setFile(f); setPreview(null); setReport(null); setImportId(null); setProgress(null); setError(null);
    if (!f) return;
    const form = new FormData();
    form.append('file', f);
    try {
      const p = await body(client.POST('/api/imports/preview', formBody(form)));
      setPreview(p);
      // A first guess from the header's words (English or Russian); the person corrects it.
      const header = (p.rows[0] ?? []).map((h) => h.toLowerCase());
      const guess: Record<string, string> = {};
      const words: Record<string, string[]> = { name: ['name', 'имя', 'фио'], email: ['mail', 'почт'], phone: ['phone', 'телеф'], company: ['company', 'компан'], title: ['title', 'сделк', 'лид'] };
      for (const [field, hints] of Object.entries(words)) {
        const i = header.findIndex((h) => hints.some((w) => h.includes(w)));
        if (i >= 0) guess[field] = String(i);
      }
      for (const f of custom) {
        const i = header.indexOf(f.label.trim().toLowerCase());
        if (i >= 0) guess[`field.${f.key}`] = String(i);
      }
      setMap(guess);
    } catch (e) {
      setError(explain(e, t));
    }
  }

  async function finish(id: Id) {
    try { setReport(await readReport(id)); } catch (e) { setError(explain(e, t)); }
  }

  useHubEvent('importProgress', (p) => {
    if (importId == null || String(p.id) !== String(importId)) return;
    setProgress({ processed: p.processed, total: p.total });
    if (p.status === 'done' || p.status === 'failed') void finish(p.id);
  });

  async function run() {
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    form.append('entity', entity);
    form.append('hasHeader', String(hasHeader));
    // Only what this entity offers: a field mapped before switching to contacts would be refused.
    form.append('map', JSON.stringify(Object.fromEntries(Object.entries(map).filter(([k, v]) => v !== '' && targets.includes(k)).map(([k, v]) => [k, Number(v)]))));
    try {
      setReport(null);
      const accepted = await body(client.POST('/api/imports', formBody(form)));
      setImportId(accepted.id);
      setProgress({ processed: 0, total: accepted.total });
      // The job may finish before this page hears of it: read the report once as well.
      window.setTimeout(() => { void readReport(accepted.id).then((r) => { if (r.status === 'done' || r.status === 'failed') setReport(r); }).catch(() => undefined); }, 1500);
    } catch (e) {
      setError(explain(e, t));
    }
  }

  const columns = preview ? Math.max(0, ...preview.rows.map((r) => r.length)) : 0;
  const header = hasHeader && preview ? preview.rows[0] : null;
  // A built-in field (`name`) or a custom one (`field.city`): which column of the file fills it.
  const columnPick = (target: string, label: string) => (
    <label key={target}><span>{t('importMapField', { field: label })}</span>
      <select value={map[target] ?? ''} onChange={(e) => setMap({ ...map, [target]: e.target.value })} data-testid={`map-${target}`}>
        <option value="">{t('importNotMapped')}</option>
        {Array.from({ length: columns }, (_, i) => <option key={i} value={String(i)}>{header?.[i] || t('importColumn', { n: i + 1 })}</option>)}
      </select></label>
  );
  return (
    <div className="page import-page">
      <div className="page-head"><h1>{t('importTitle')}</h1></div>
      <form className="dialog-form import-form" onSubmit={(e) => { e.preventDefault(); void run(); }}>
        <label><span>{t('importFile')}</span>
          <input type="file" accept=".csv,text/csv" data-testid="import-file" onChange={(e) => void choose(e.target.files?.[0] ?? null)} /></label>
        <label><span>{t('importEntity')}</span>
          <select value={entity} onChange={(e) => setEntity(e.target.value as 'contact' | 'lead')}>
            <option value="contact">{t('importAsContacts')}</option>
            <option value="lead">{t('importAsLeads')}</option>
          </select></label>
        <label className="inline"><input type="checkbox" checked={hasHeader} onChange={(e) => setHasHeader(e.target.checked)} /> {t('importHasHeader')}</label>
        {preview && (
          <>
            <p className="muted">{t('importPreview', { encoding: preview.encoding, delimiter: preview.delimiter, records: preview.records })}</p>
            <div className="table-scroll">
              <table className="import-preview" data-testid="import-preview">
                <tbody>{preview.rows.map((r, i) => <tr key={i}>{r.map((c, j) => <td key={j}>{c}</td>)}</tr>)}</tbody>
              </table>
            </div>
            {FIELDS[entity].map((field) => columnPick(field, t(`field_${field}` as StringKey)))}
            {custom.length > 0 && (
              <fieldset className="import-custom-fields">
                <legend>{t('importCustomFields')}</legend>
                {custom.map((f) => columnPick(`field.${f.key}`, f.label))}
              </fieldset>
            )}
            <div className="dialog-buttons"><button type="submit" className="primary" disabled={importId != null && !report}>{t('importRun')}</button></div>
          </>
        )}
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {progress && !report && (
        <p role="status" data-testid="import-progress">
          {t('importRunning', progress)} <progress max={progress.total} value={progress.processed} />
        </p>
      )}
      {report && <Report report={report} />}
    </div>
  );
}

function Report({ report }: { report: Schemas['ImportReport'] }) {
  const { t } = useI18n();
  return (
    <section data-testid="import-report">
      <p role="status" data-testid="import-summary">
        {report.status === 'failed' ? t('importFailed', { error: report.error ?? '' }) : t('importDone', { created: report.created, merged: report.merged, refused: report.refused })}
      </p>
      <div className="table-scroll">
        <table className="import-rows">
          <thead><tr><th>{t('importRow')}</th><th>{t('importOutcome')}</th><th>{t('importError')}</th></tr></thead>
          <tbody>
            {report.rows.map((r) => (
              <tr key={r.row} className={`outcome-${r.outcome}`}><td>{r.row}</td><td>{t(`outcome_${r.outcome}` as StringKey)}</td><td className="wrap-anywhere">{r.error ?? ''}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
