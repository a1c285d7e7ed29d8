import { area } from './area';

// CRM lists and import (issue #17's last UI gaps): the leads' bulk bar, the bulk report, custom fields in the import map.
export const crmUiStrings = area({
  en: {
    bulkStatus: 'Set status',
    bulkJunkReason: 'Junk reason',
    bulkJunk: 'Junk',
    bulkRefused: 'Not changed: {list}',
    importCustomFields: 'Custom fields',
    allLoadedSelected: 'All {count} rows shown are selected; more match the filters.',
    selectAllMatching: 'Select all that match (up to {max})',
    selectingMatching: 'Loading the rest of the matches…',
    allMatchingSelected: 'All {count} rows that match the filters are selected.',
    bulkLimitReached: 'The first {max} are selected: one bulk action changes at most {max}.',
    bulkOverLimit: '{count} selected: one bulk action changes at most {max}. Untick some, or narrow the filters.',
  },
  ru: {
    bulkStatus: 'Сменить статус',
    bulkJunkReason: 'Причина брака',
    bulkJunk: 'В брак',
    bulkRefused: 'Не изменены: {list}',
    importCustomFields: 'Дополнительные поля',
    allLoadedSelected: 'Выбраны все показанные строки ({count}); по фильтру есть ещё.',
    selectAllMatching: 'Выбрать все по фильтру (до {max})',
    selectingMatching: 'Загружаем остальные строки по фильтру…',
    allMatchingSelected: 'Выбраны все строки по фильтру: {count}.',
    bulkLimitReached: 'Выбраны первые {max}: одно массовое действие меняет не больше {max}.',
    bulkOverLimit: 'Выбрано {count}: одно массовое действие меняет не больше {max}. Снимите часть отметок или сузьте фильтр.',
  },
});
