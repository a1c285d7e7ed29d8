import { useI18n } from '../../i18n';
import { blobUrl } from '../../lib/api';
import { shortTime } from '../../lib/format';
import { useApiGet } from '../../api/useApiGet';
import { useSubjectUpdates, type Subject } from '../Activities';
import { ResourceStatus } from '../Status';

/** The files of the card's conversations (GET /api/{deals|leads}/{id}/files); opened with the bearer header, as in the thread. */
export function CardFiles({ subject }: { subject: Subject }) {
  const { t, locale } = useI18n();
  const files = useApiGet(subject.type === 'deal' ? '/api/deals/{id}/files' : '/api/leads/{id}/files', { params: { path: { id: Number(subject.id) } } });
  useSubjectUpdates(subject, () => void files.reload());
  return (
    <section className="card-files" aria-labelledby="card-files-h">
      <h3 id="card-files-h">{t('cardFiles')}</h3>
      <ResourceStatus resource={files} what="files" />
      {files.data && files.data.length === 0 && <p className="muted">{t('noFiles')}</p>}
      <ul>
        {(files.data ?? []).map((f) => (
          <li key={String(f.id)}>
            {/* The document has `url` optional (CardFile.Url is nullable): a file without one is listed, not opened. */}
            {f.url ? <button type="button" className="link" onClick={async () => { window.open(await blobUrl(f.url!), '_blank', 'noopener'); }}>{f.fileName}</button> : f.fileName}{' '}
            <span className="muted">{shortTime(f.createdAt, locale)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
