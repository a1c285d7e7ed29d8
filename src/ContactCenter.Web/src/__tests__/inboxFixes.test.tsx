// @vitest-environment jsdom
import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { duration, plausibleWait } from '../lib/format';
import { linkify, safeHref } from '../lib/linkify';

describe('linkify', () => {
  it('makes web, mail and phone links clickable without the opener, and leaves other text as text', () => {
    const { container } = render(<p>{linkify('See https://shop.example/a?b=1. Or mail mailto:sales@example.ru, tel:+79161234567 and javascript:alert(1)')}</p>);
    const links = Array.from(container.querySelectorAll('a'));
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://shop.example/a?b=1', 'mailto:sales@example.ru', 'tel:+79161234567']);
    expect(links.every((a) => a.getAttribute('rel') === 'noopener noreferrer' && a.getAttribute('target') === '_blank')).toBe(true);
    expect(container.textContent).toContain('javascript:alert(1)');
    expect(container.textContent).toContain('b=1. Or');
  });
  it('refuses schemes it does not open and escapes markup', () => {
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('www.example.ru/x')).toBe('https://www.example.ru/x');
    const { container } = render(<p>{linkify('<img src=x onerror=alert(1)> https://x.ru/<b>')}</p>);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('a')?.getAttribute('href')).toBe('https://x.ru/');
  });
});

describe('durations', () => {
  it('speaks the app language', () => {
    expect(duration(65, 'en')).toBe('1m 5s');
    expect(duration(65, 'ru')).toBe('1 мин 5 с');
    expect(duration(3 * 3600 + 120, 'ru')).toBe('3 ч 2 мин');
    expect(duration(null, 'ru')).toBe('—');
  });
  it('grows a wait from the server figure and drops impossible ones', () => {
    expect(plausibleWait(60, 1000, 31000)).toBe(90);
    expect(plausibleWait(-5, 0, 0)).toBeNull();
    expect(plausibleWait(400 * 86400, 0, 0)).toBeNull();
    expect(plausibleWait(60, 5000, 1000)).toBe(60); // a clock that went back never shrinks it
  });
});
