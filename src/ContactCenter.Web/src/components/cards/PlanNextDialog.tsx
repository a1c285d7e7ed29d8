import { useI18n } from '../../i18n';
import type { Id } from '../../types';
import { ActivityForm } from '../Activities';
import { Dialog } from '../Dialog';

/** Bitrix24's pop-up: the deal's last planned activity was just completed; plan the next one (or say not now). */
export function PlanNextDialog({ deal, onDone }: { deal: { id: Id; title: string }; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog title={t('planNextTitle', { title: deal.title })} onClose={onDone}>
      <p className="muted">{t('planNextHint')}</p>
      <div data-testid="plan-next">
        <ActivityForm subject={{ type: 'deal', id: deal.id }} initiallyOpen onCreated={onDone} />
      </div>
      <div className="row">
        <button type="button" onClick={onDone}>{t('planNextSkip')}</button>
      </div>
    </Dialog>
  );
}
