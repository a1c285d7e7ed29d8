import { useI18n } from '../../../i18n';

/** The channel's `outOfHoursReply`, `acknowledgement` and `csat` settings as the form edits them. */
export interface AutoMessages { oohOn: boolean; oohText: string; ackOn: boolean; ackText: string; csatOn: boolean; csatQuestion: string }

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {});
const str = (v: unknown) => (typeof v === 'string' ? v : '');

export function autoFrom(settings: Record<string, unknown>): AutoMessages {
  const ooh = obj(settings.outOfHoursReply), ack = obj(settings.acknowledgement), csat = obj(settings.csat);
  return {
    oohOn: ooh.enabled === true, oohText: str(ooh.text), ackOn: ack.enabled === true, ackText: str(ack.text),
    csatOn: csat.enabled === true, csatQuestion: str(csat.question),
  };
}

/** The three settings to PATCH (switched off ones keep their text, so switching back on restores it). */
export function autoToSettings(a: AutoMessages): Record<string, unknown> {
  return {
    outOfHoursReply: { enabled: a.oohOn, text: a.oohText },
    acknowledgement: { enabled: a.ackOn, text: a.ackText },
    csat: a.csatQuestion.trim() ? { enabled: a.csatOn, question: a.csatQuestion } : { enabled: a.csatOn },
  };
}

export function AutoMessagesFields({ value, onChange }: { value: AutoMessages; onChange: (a: AutoMessages) => void }) {
  const { t } = useI18n();
  const set = (patch: Partial<AutoMessages>) => onChange({ ...value, ...patch });
  return (
    <fieldset className="auto-messages" data-testid="auto-messages">
      <legend>{t('hrAutoTitle')}</legend>
      <label className="toggle"><input type="checkbox" name="outOfHoursReply" checked={value.oohOn} onChange={(e) => set({ oohOn: e.target.checked })} /> {t('hrOohOn')}</label>
      {value.oohOn && (
        <label>{t('hrOohText')}
          <textarea name="outOfHoursText" maxLength={2000} rows={3} value={value.oohText} onChange={(e) => set({ oohText: e.target.value })} />
          <span className="muted">{t('hrOohHint')}</span>
        </label>
      )}
      <label className="toggle"><input type="checkbox" name="acknowledgement" checked={value.ackOn} onChange={(e) => set({ ackOn: e.target.checked })} /> {t('hrAckOn')}</label>
      {value.ackOn && (
        <label>{t('hrAckText')}
          <textarea name="acknowledgementText" maxLength={2000} rows={2} value={value.ackText} onChange={(e) => set({ ackText: e.target.value })} />
        </label>
      )}
      <label className="toggle"><input type="checkbox" name="csat" checked={value.csatOn} onChange={(e) => set({ csatOn: e.target.checked })} /> {t('hrCsatOn')}</label>
      {value.csatOn && (
        <label>{t('hrCsatQuestion')}
          <input name="csatQuestion" maxLength={2000} value={value.csatQuestion} onChange={(e) => set({ csatQuestion: e.target.value })} />
        </label>
      )}
    </fieldset>
  );
}
