import { useState, type FormEvent } from 'react';
import { ChannelIcon } from '../../../components/Icons';
import { useI18n } from '../../../i18n';
import { body, client } from '../../../api/client';
import { explain } from '../../../lib/errors';
import type { StringKey } from '../../../strings';
import type { Channel } from '../../../types';
import { AutoMessagesFields, autoFrom, autoToSettings, type AutoMessages } from './AutoMessagesFields';
import { noErrors, splitErrors, type FieldErrors } from './fieldErrors';
import { channelKinds, initialValues, isSecret, kindOf, settingsOf, type FormValues } from './kinds';
import { MembersPicker } from './MembersPicker';
import { PublicInfo } from './PublicInfo';
import { RulesFields, rulesFrom, rulesToSettings, type Rules } from './RulesFields';
import { SettingsFields } from './SettingsFields';

const steps = ['chStepKind', 'chStepSettings', 'chStepCheck', 'chStepPaste', 'chStepMembers'] as const;
/** The path parameters of a channel's routes. */
export const channelParams = (id: Channel['id']) => ({ params: { path: { id: Number(id) } } });

/**
 * A new channel in five steps: kind; settings (labels, help, links, presets); the server's credential check (run on
 * save, its result is the channel's statusError); what to paste where (the server's `public` values); members.
 */
export function ChannelWizard({ onClose, onDone }: { onClose: () => void; onDone: (channel: Channel) => void }) {
  const { t } = useI18n();
  const [step, setStep] = useState(0);
  const [kind, setKind] = useState('');
  const [name, setName] = useState('');
  const [values, setValues] = useState<FormValues>({});
  const [replaced, setReplaced] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<FieldErrors>(noErrors());
  const [problem, setProblem] = useState<string | null>(null);
  const [channel, setChannel] = useState<Channel | null>(null);
  const [members, setMembers] = useState<Set<string>>(new Set());
  // Routing, SLA, business hours (an out-of-hours reply needs them), out-of-hours reply, acknowledgement and CSAT are
  // set here too, not only later on the channel's edit page.
  const [rules, setRules] = useState<Rules>(() => rulesFrom({}));
  const [auto, setAuto] = useState<AutoMessages>(() => autoFrom({}));
  // A new channel gets no null ("cleared") setting; an existing one is PATCHed like the editor does.
  const extras = (existing: boolean) => {
    const all = { ...rulesToSettings(rules, channel?.settings ?? {}), ...autoToSettings(auto) };
    return existing ? all : Object.fromEntries(Object.entries(all).filter(([, v]) => v !== null));
  };
  const [busy, setBusy] = useState(false);
  const def = kindOf(kind);

  function pick(k: string) {
    setKind(k);
    setValues(initialValues(kindOf(k)!));
  }

  async function run(action: () => Promise<void>) {
    setBusy(true); setProblem(null);
    try { await action(); } catch (e) {
      const split = splitErrors(e);
      if (split) setErrors(split); else setProblem(explain(e, t));
    } finally { setBusy(false); }
  }

  const save = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      setErrors(noErrors());
      const saved = channel
        ? await body(client.PATCH('/api/channels/{id}', { ...channelParams(channel.id), body: { name, settings: { ...settingsOf(def!, values, true, replaced), ...extras(true) } } }))
        : await body(client.POST('/api/channels', { body: { kind, name, settings: { ...settingsOf(def!, values, false, replaced), ...extras(false) } } }));
      setChannel(saved);
      setMembers(new Set(saved.memberIds.map(String)));
      setReplaced(new Set());
      setValues((v) => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, def!.fields.some((f) => f.name === k && isSecret(f)) ? '' : x])));
      setStep(2);
    });
  };
  // The check runs on every save; an empty PATCH saves nothing and checks again.
  const checkAgain = () => void run(async () => { setChannel(await body(client.PATCH('/api/channels/{id}', { ...channelParams(channel!.id), body: {} }))); });
  const addAll = () => run(async () => {
    const updated = await body(client.POST('/api/channels/{id}/members/all-managers', channelParams(channel!.id)));
    setChannel(updated);
    setMembers((m) => new Set([...m, ...updated.memberIds.map(String)]));
  });
  const finish = () => void run(async () => {
    const updated = await body(client.PUT('/api/channels/{id}/members', { ...channelParams(channel!.id), body: { userIds: [...members].map(Number) } }));
    onDone(updated);
  });

  return (
    <section className="channel-wizard" aria-labelledby="wizard-title">
      <div className="wizard-head">
        <h2 id="wizard-title">{channel ? t('chEditTitle', { name: channel.name }) : t('chWizardTitle')}</h2>
        <button type="button" onClick={onClose}>{t('chClose')}</button>
      </div>
      <ol className="wizard-steps">
        {steps.map((s, i) => <li key={s} aria-current={i === step ? 'step' : undefined} className={i < step ? 'done' : ''}>{t(s)}</li>)}
      </ol>
      <h3 className="step-title">{t('chStep', { n: step + 1, total: steps.length, title: t(steps[step]) })}</h3>

      {step === 0 && (
        <form onSubmit={(e) => { e.preventDefault(); if (def) setStep(1); }}>
          <fieldset className="kind-choices">
            <legend>{t('chChooseKind')}</legend>
            {channelKinds.map((k) => (
              <label key={k.kind} className={`kind-choice${kind === k.kind ? ' chosen' : ''}`}>
                <input type="radio" name="kind" value={k.kind} checked={kind === k.kind} onChange={() => pick(k.kind)} />
                <span className="kind-icon"><ChannelIcon kind={k.kind} /></span>
                <span><strong>{t(`chk_${k.kind}` as StringKey)}</strong><br /><span className="muted">{t(`chk_${k.kind}_about` as StringKey)}</span></span>
              </label>
            ))}
          </fieldset>
          <div className="wizard-buttons"><button type="submit" className="primary" disabled={!def}>{t('chNext')}</button></div>
        </form>
      )}

      {step === 1 && def && (
        <form onSubmit={save} noValidate>
          <p className="muted">{t(`chk_${def.kind}_about` as StringKey)}{def.link && <> <a href={def.link} target="_blank" rel="noreferrer">{t('chOpenConsole')}</a></>}</p>
          <div className={`field${errors.name ? ' invalid' : ''}`} data-field="name">
            <label htmlFor="channel-name">{t('chName')} <span className="muted">({t('chRequired')})</span></label>
            <input id="channel-name" value={name} required maxLength={200} aria-invalid={!!errors.name} onChange={(e) => setName(e.target.value)} />
            <p className="help">{t('chNameHelp')}</p>
            {errors.name && <p className="error field-error" role="alert">{errors.name.join(' ')}</p>}
          </div>
          <SettingsFields def={def} values={values} onChange={setValues} errors={errors.settings}
            secretsSet={channel?.secretsSet} replaced={replaced}
            onReplace={channel ? (n, on) => setReplaced((r) => { const x = new Set(r); if (on) x.add(n); else x.delete(n); return x; }) : undefined} />
          <RulesFields rules={rules} onChange={setRules} errors={[]} />
          <AutoMessagesFields value={auto} onChange={setAuto} />
          {[...errors.rules, ...errors.other].length > 0 && <p className="error" role="alert">{t('chErrorsOther', { list: [...errors.rules, ...errors.other].join(' ') })}</p>}
          {problem && <p className="error" role="alert">{problem}</p>}
          <div className="wizard-buttons">
            {!channel && <button type="button" onClick={() => setStep(0)}>{t('chBack')}</button>}
            <button type="submit" className="primary" disabled={busy}>{busy ? t('chChecking') : t('chSaveAndCheck')}</button>
          </div>
        </form>
      )}

      {step === 2 && channel && def && (
        <div className="check-step">
          {busy ? <p role="status">{t('chChecking')}</p>
            : !def.checks ? <p className="check-ok" role="status">✓ {t('chCheckNone')}</p>
            : channel.statusError
              ? <div className="check-failed" role="alert"><strong>✗ {t('chCheckFailed')}</strong><p className="status-error">{channel.statusError}</p></div>
              : channel.enabled ? <p className="check-ok" role="status">✓ {t('chCheckOk')}</p> : <p className="muted" role="status">{t('chCheckPending')}</p>}
          {problem && <p className="error" role="alert">{problem}</p>}
          <div className="wizard-buttons">
            {def.checks && <button type="button" onClick={() => setStep(1)}>{t('chFixSettings')}</button>}
            {def.checks && channel.statusError && <button type="button" disabled={busy} onClick={checkAgain}>{t('chCheckAgain')}</button>}
            <button type="button" className="primary" onClick={() => setStep(3)}>{t('chContinue')}</button>
          </div>
        </div>
      )}

      {step === 3 && channel && (
        <div>
          <PublicInfo channel={channel} />
          <div className="wizard-buttons">
            <button type="button" onClick={() => setStep(2)}>{t('chBack')}</button>
            <button type="button" className="primary" onClick={() => setStep(4)}>{t('chContinue')}</button>
          </div>
        </div>
      )}

      {step === 4 && channel && (
        <div>
          <MembersPicker selected={members} onChange={setMembers} onAddAll={addAll} busy={busy} />
          {problem && <p className="error" role="alert">{problem}</p>}
          <div className="wizard-buttons">
            <button type="button" onClick={() => setStep(3)}>{t('chBack')}</button>
            <button type="button" className="primary" disabled={busy} onClick={finish}>{members.size === 0 ? t('chFinishWithoutManagers') : t('chFinish')}</button>
          </div>
        </div>
      )}
    </section>
  );
}
