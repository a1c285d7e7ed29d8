import { useRef, useState } from 'react';
import { body, client } from '../../api/client';
import { useApiGet } from '../../api/useApiGet';
import { ResourceStatus } from '../../components/Status';
import { useI18n } from '../../i18n';
import { currencyChoices, currencyLabel } from '../../lib/currency';
import { describeError } from '../../lib/errors';

/** Simple (deals straight away) or classic (leads first, qualified into deals); the currency new deals start in. */
export function CrmModeTab() {
  const { t, locale } = useI18n();
  const settings = useApiGet('/api/settings/crm');
  const [msg, setMsg] = useState<string | null>(null);
  // The choice shows at once and "Saving…" until the server answers (an old "Saved." beside the old value read as if the
  // save were ignored). Saves made in quick succession may be answered in any order, each with the settings as its own
  // commit left them: when the last one is answered, the settings are read again rather than taken from an answer.
  const saving = useRef(0);
  async function save(change: { mode?: 'simple' | 'classic'; currency?: string }) {
    setMsg(t('saving'));
    settings.set((old) => (old ? { ...old, ...change } : old));
    saving.current += 1;
    try {
      const saved = await body(client.PUT('/api/settings/crm', { body: change }));
      setMsg(saved.convertedLeads > 0 ? t('crmConverted', { count: saved.convertedLeads }) : t('saved'));
    } catch (e) {
      setMsg(describeError(e));
    } finally {
      saving.current -= 1;
      if (saving.current === 0) void settings.reload();
    }
  }
  return (
    <>
      <ResourceStatus resource={settings} what="GET /api/settings/crm" />
      {settings.data && (
        <>
          <fieldset>
            <legend>{t('crmMode')}</legend>
            {(['simple', 'classic'] as const).map((m) => (
              <label key={m} className="toggle">
                <input type="radio" name="crm-mode" checked={settings.data!.mode === m} onChange={() => {
                  // Simple mode turns every open lead into a deal at once, and going back to classic does not undo it.
                  if (m === 'simple' && !window.confirm(t('crmSimpleConfirm'))) return;
                  void save({ mode: m });
                }} /> {t(m === 'simple' ? 'crmSimple' : 'crmClassic')}
              </label>
            ))}
          </fieldset>
          <label className="field">{t('crmCurrency')}
            <select value={settings.data.currency} onChange={(e) => void save({ currency: e.target.value })} data-testid="crm-currency">
              {currencyChoices(settings.data.currency).map((c) => <option key={c} value={c}>{currencyLabel(c, locale)}</option>)}
            </select>
          </label>
          <p className="muted">{t('crmCurrencyHint')}</p>
          {msg && <p role="status">{msg}</p>}
        </>
      )}
    </>
  );
}
