// @vitest-environment jsdom
import { render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CallView } from '../components/CallView';
import { I18nProvider } from '../i18n';
import { LangKey } from '../lib/i18next';
import { minutes } from '../lib/reports';
import type { Call } from '../types';

afterEach(() => localStorage.removeItem(LangKey));

describe('figures on Russian screens', () => {
  it('speak of a call in the language of the screen', () => {
    localStorage.setItem(LangKey, 'ru');
    const call = { direction: 'inbound', status: 'completed', from: '+79161234567', to: '+74951234567', durationSeconds: 65, missed: false,
      answeredBy: null, recordingAttachmentId: null } as unknown as Call;
    const { container } = render(<I18nProvider><CallView call={call} /></I18nProvider>);
    expect(container.textContent).toContain('1 мин 5 с');
    expect(container.textContent).not.toContain('1m 5s');
  });
  it('write minutes with the decimal comma in Russian and the point in English', () => {
    expect(minutes(4.5, 'ru-RU')).toBe('4,5');
    expect(minutes(4.5)).toBe('4.5');
    expect(minutes(12.4, 'ru-RU')).toBe('12');
    expect(minutes(null, 'ru-RU')).toBe('—');
  });
});
