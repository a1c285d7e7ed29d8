import { useState } from 'react';
import { body, client } from '../../api/client';
import { useApiGet } from '../../api/useApiGet';
import { ResourceStatus } from '../../components/Status';
import { useI18n } from '../../i18n';
import { describeError } from '../../lib/errors';

/** Simple (deals straight away) or classic (leads first, qualified into deals). */
export function CrmModeTab() {
  const { t } = useI18n();
  const mode = useApiGet('/api/settings/crm');
  const [msg, setMsg] = useState<string | null>(null);
  return (
    <>
      <ResourceStatus resource={mode} what="GET /api/settings/crm" />
      {mode.data && (
        <fieldset>
          <legend>{t('crmMode')}</legend>
          {(['simple', 'classic'] as const).map((m) => (
            <label key={m} className="toggle">
              <input type="radio" name="crm-mode" checked={mode.data!.mode === m} onChange={async () => {
                try { await body(client.PUT('/api/settings/crm', { body: { mode: m } })); mode.set(() => ({ mode: m })); setMsg(t('saved')); }
                catch (e) { setMsg(describeError(e)); }
              }} /> {t(m === 'simple' ? 'crmSimple' : 'crmClassic')}
            </label>
          ))}
          {msg && <p role="status">{msg}</p>}
        </fieldset>
      )}
    </>
  );
}
