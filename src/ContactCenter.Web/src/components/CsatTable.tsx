import { useI18n } from '../i18n';
import { useApiGet } from '../api/useApiGet';
import { periodQuery } from '../lib/reports';
import { ResourceStatus } from './Status';
import './csat.css';

/** Customer satisfaction per manager and per channel for the supervisor page's period (`GET /api/stats/csat`). */
export function CsatTable({ from, to }: { from: string; to: string }) {
  const { t, locale } = useI18n();
  // The period's last day whole: up to the next midnight (T23:59:59 lost the day's last second).
  const report = useApiGet('/api/stats/csat', { params: { query: periodQuery({ from, to }) } });
  const r = report.data;
  const rows = r ? [
    { key: 'overall', name: t('hrCsatOverall'), f: r.overall },
    ...r.byManager.map((m) => ({ key: `u${String(m.userId)}`, name: m.name || t('hrCsatUnassigned'), f: m.csat })),
    ...r.byChannel.map((c) => ({ key: `c${String(c.channelId)}`, name: c.name, f: c.csat })),
  ] : [];
  const pct = (x: number | null) => (x === null ? '—' : x.toLocaleString(locale, { style: 'percent', maximumFractionDigits: 0 }));
  return (
    <section className="panel csat-panel" aria-labelledby="csat-h">
      <h2 id="csat-h">{t('hrCsat')}</h2>
      <ResourceStatus resource={report} what="GET /api/stats/csat" />
      {r && (r.overall.asked === 0 ? <p className="muted">{t('hrCsatNone')}</p> : (
        <div className="csat-scroll">
          <table className="stats" data-testid="csat-stats">
            <thead>
              <tr><th>{t('name')}</th><th>{t('hrCsatAverage')}</th><th>{t('hrCsatCount')}</th><th>{t('hrCsatAsked')}</th><th>{t('hrCsatRate')}</th><th>{t('hrCsatDistribution')}</th></tr>
            </thead>
            <tbody>
              {rows.map(({ key, name, f }) => (
                <tr key={key} data-row={key}>
                  <td>{name}</td>
                  <td className="csat-average">{f.average === null ? '—' : f.average.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })}</td>
                  <td>{f.count}</td><td>{f.asked}</td><td>{pct(f.responseRate)}</td>
                  <td className="csat-dist">{f.distribution.join(' / ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}
