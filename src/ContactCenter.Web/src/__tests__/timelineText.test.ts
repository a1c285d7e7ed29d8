import { describe, expect, it } from 'vitest';
import { createI18n, translator } from '../lib/i18next';
import { timelineReason, timelineType } from '../lib/timelineText';

// Every entry type the server writes (Timeline.AddAsync callers, the call log and the contact merge) and its reason codes.
const serverTypes = ['message', 'comment', 'stageChanged', 'activity', 'created', 'converted', 'closed', 'automation', 'updated',
  'reopened', 'junked', 'contactsMerged', 'call'];

describe('timeline words', () => {
  const ru = translator(createI18n('ru'), 'ru');
  const en = translator(createI18n('en'), 'en');

  it('every type the server writes has a name in both languages, never the code itself', () => {
    for (const type of serverTypes) {
      expect(timelineType(type, ru)).not.toBe(type);
      expect(timelineType(type, en)).not.toBe(type);
      expect(timelineType(type, ru)).not.toMatch(/^timeline_/);
    }
    expect(timelineType('updated', ru)).toBe('Изменено');
  });

  it("a deal taken with its conversation reads as words; a loss reason stays as the manager wrote it", () => {
    expect(timelineReason('conversationAssigned', ru)).toBe('назначено вместе с диалогом');
    expect(timelineReason('conversationAssigned', en)).toBe('assigned with its conversation');
    expect(timelineReason('Дорого', ru)).toBe('Дорого');
  });

  it('a type the app does not know yet is shown as the server wrote it', () => {
    expect(timelineType('somethingNew', ru)).toBe('somethingNew');
  });
});
