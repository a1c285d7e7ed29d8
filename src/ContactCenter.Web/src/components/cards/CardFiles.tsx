import { useI18n } from '../../i18n';
import { blobUrl } from '../../lib/api';
import { shortTime } from '../../lib/format';
import { useResource } from '../../lib/useResource';
import type { Id } from '../../types';
import { useSubjectUpdates, type Subject } from '../Activities';
import { ResourceStatus } from '../Status';

interface CardFile { id: Id; fileName: string; contentType: string; size: number | null; url: string; createdAt: string }

/** The files of the card's conversations (GET /api/{deals|leads}/{id}/files); opened with the bearer header, as in the thread. */
export function CardFiles({ subject }: { subject: Subject }) {
  const { t, locale } = useI18n();
  const files = useResource<CardFile[]>(`/api/${subject.type}s/${encodeURIComponent(String(subject.id))}/files`);
  useSubjectUpdates(subject, () => void files.reload());
  return (
    <section className="card-files" aria-labelledby="card-files-h">
      <h3 id="card-files-h">{t('cardFiles')}</h3>
      <ResourceStatus resource={files} what="files" />
      {files.data && files.data.length === 0 && <p className="muted">{t('noFiles')}</p>}
      <ul>
        {(files.data ?? []).map((f) => (
          <li key={String(f.id)}>
            <button type="button" className="link" onClick={async () => { window.open(await blobUrl(f.url), '_blank', 'noopener'); }}>{f.fileName}</button>{' '}
            <span className="muted">{shortTime(f.createdAt, locale)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
