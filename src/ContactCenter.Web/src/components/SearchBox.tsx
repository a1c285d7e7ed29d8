import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import './search.css';

/** The header's search box: Enter opens /search?q=…; Ctrl/Cmd+K focuses it (data-shortcut="search"). */
export function SearchBox() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const path = useLocation().pathname;
  const [search] = useSearchParams();
  const current = path === '/search' ? search.get('q') ?? '' : '';
  const [text, setText] = useState(current);
  useEffect(() => { setText(current); }, [current]);
  return (
    <form role="search" className="search-box" onSubmit={(e) => {
      e.preventDefault();
      const q = text.trim();
      if (q) navigate(`/search?q=${encodeURIComponent(q)}`);
    }}>
      <input type="search" name="q" data-shortcut="search" aria-label={t('searchMessages')} placeholder={t('searchMessagesPlaceholder')}
        maxLength={200} value={text} onChange={(e) => setText(e.target.value)} />
    </form>
  );
}
