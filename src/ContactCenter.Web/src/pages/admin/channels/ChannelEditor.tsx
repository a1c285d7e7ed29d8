import { useState, type FormEvent } from 'react';
import { useI18n } from '../../../i18n';
import { body, client } from '../../../api/client';
import { explain } from '../../../lib/errors';
import type { StringKey } from '../../../strings';
import type { Channel } from '../../../types';
import { channelParams } from './ChannelWizard';
import { noErrors, splitErrors, type FieldErrors } from './fieldErrors';
import { changedSettings, initialValues, isSecret, kindOf, settingsOf, type FormValues } from './kinds';
import { MembersPicker } from './MembersPicker';
import { PublicInfo } from './PublicInfo';
import { RulesFields, rulesFrom, rulesToSettings, type Rules } from './RulesFields';
import { AutoMessagesFields, autoFrom, autoToSettings, type AutoMessages } from './AutoMessagesFields';
import { SettingsFields } from './SettingsFields';

/**
 * An existing channel: name, on/off, settings (secrets are write-only: "set — replace", sent only when replaced),
 * routing, SLA, business hours (one PATCH, which runs the credential check again), members (one PUT), what to paste.
 */
export function ChannelEditor({ channel: initial, onClose, onSaved }: { channel: Channel; onClose: () => void; onSaved: (c: Channel) => void }) {
  const { t } = useI18n();
  const [channel, setChannel] = useState(initial);
  const def = kindOf(channel.kind);
  const [name, setName] = useState(channel.name);
  const [enabled, setEnabled] = useState(channel.enabled);
  const [values, setValues] = useState<FormValues>(() => (def ? initialValues(def, channel.settings) : {}));
  const [replaced, setReplaced] = useState<Set<string>>(new Set());
  const [rules, setRules] = useState<Rules>(() => rulesFrom(channel.settings));
  const [auto, setAuto] = useState<AutoMessages>(() => autoFrom(channel.settings));
  const [members, setMembers] = useState<Set<string>>(() => new Set(channel.memberIds.map(String)));
  const [errors, setErrors] = useState<FieldErrors>(noErrors());
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const archived = !!channel.archivedAt;

  async function run(action: () => Promise<string>) {
    setBusy(true); setProblem(null); setDone(null);
    try { setDone(await action()); } catch (e) {
      const split = splitErrors(e);
      if (split) setErrors(split); else setProblem(explain(e, t, { 409: 'chHasConversations' }));
    } finally { setBusy(false); }
  }
  const apply = (c: Channel) => { setChannel(c); onSaved(c); };

  const save = (e: FormEvent) => {
    e.preventDefault();
    // Switching a live channel off stops its messages both ways: asked first, as the list's switch does.
    if (channel.enabled && !enabled && !archived && !window.confirm(t('chDisableConfirm', { name: channel.name }))) return;
    void run(async () => {
      setErrors(noErrors());
      // Only what the admin changed is sent (the server merges settings key by key): a setting the form cannot show whole
      // (a day's second range, a web form's field labels) stays as it is when untouched.
      const formSettings = (v: FormValues, r: Rules, a: AutoMessages) =>
        ({ ...(def ? settingsOf(def, v, true, replaced, channel.settings) : {}), ...rulesToSettings(r, channel.settings), ...autoToSettings(a) });
      const before = formSettings(def ? initialValues(def, channel.settings) : {}, rulesFrom(channel.settings), autoFrom(channel.settings));
      const settings = changedSettings(before, formSettings(values, rules, auto));
      const saved = await body(client.PATCH('/api/channels/{id}', { ...channelParams(channel.id), body: archived ? { name, settings } : { name, settings, enabled } }));
      apply(saved);
      setReplaced(new Set());
      if (def) setValues((v) => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, def.fields.some((f) => f.name === k && isSecret(f)) ? '' : x])));
      return t('chSaved');
    });
  };
  const saveMembers = () => void run(async () => {
    apply(await body(client.PUT('/api/channels/{id}/members', { ...channelParams(channel.id), body: { userIds: [...members].map(Number) } })));
    return t('chMembersSaved');
  });
  const addAll = () => run(async () => {
    const updated = await body(client.POST('/api/channels/{id}/members/all-managers', channelParams(channel.id)));
    apply(updated);
    setMembers((m) => new Set([...m, ...updated.memberIds.map(String)]));
    return t('chMembersSaved');
  });

  return (
    <section className="channel-editor" aria-labelledby="editor-title" data-channel-id={String(channel.id)}>
      <div className="wizard-head">
        <h2 id="editor-title">{t('chEditTitle', { name: channel.name })}</h2>
        <button type="button" onClick={onClose}>{t('chClose')}</button>
      </div>
      <p className="muted">{def ? t(`chk_${def.kind}` as StringKey) : channel.kind}</p>
      {channel.statusError && <p className="error status-error" role="alert">{t('chStatusError', { reason: channel.statusError })}</p>}
      <form onSubmit={save} noValidate>
        <div className={`field${errors.name ? ' invalid' : ''}`} data-field="name">
          <label htmlFor="edit-channel-name">{t('chName')}</label>
          <input id="edit-channel-name" value={name} required maxLength={200} onChange={(e) => setName(e.target.value)} />
          {errors.name && <p className="error field-error" role="alert">{errors.name.join(' ')}</p>}
        </div>
        {!archived && <label className="toggle"><input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> {t('chEnabled')}</label>}
        {def && (
          <SettingsFields def={def} values={values} onChange={setValues} errors={errors.settings} secretsSet={channel.secretsSet} replaced={replaced}
            onReplace={(n, on) => setReplaced((r) => { const x = new Set(r); if (on) x.add(n); else x.delete(n); return x; })} />
        )}
        <RulesFields rules={rules} onChange={setRules} errors={errors.rules} />
        <AutoMessagesFields value={auto} onChange={setAuto} />
        {errors.other.length > 0 && <p className="error" role="alert">{t('chErrorsOther', { list: errors.other.join(' ') })}</p>}
        <div className="wizard-buttons"><button type="submit" className="primary" disabled={busy}>{t('chSave')}</button></div>
      </form>
      <h3>{t('chStepMembers')}</h3>
      <MembersPicker selected={members} onChange={setMembers} onAddAll={addAll} busy={busy} />
      <div className="wizard-buttons"><button type="button" className="primary" disabled={busy} onClick={saveMembers}>{t('chSaveMembers')}</button></div>
      {problem && <p className="error" role="alert">{problem}</p>}
      {done && <p className="ok-text" role="status">{done}</p>}
      <h3>{t('chStepPaste')}</h3>
      <PublicInfo channel={channel} />
    </section>
  );
}
