import { area } from './area';

// CRM lists and import (issue #17's last UI gaps): the leads' bulk bar, the bulk report, custom fields in the import map.
export const crmUiStrings = area({
  en: {
    bulkStatus: 'Set status',
    bulkJunkReason: 'Junk reason',
    bulkJunk: 'Junk',
    bulkRefused: 'Not changed: {list}',
    importCustomFields: 'Custom fields',
  },
  ru: {
    bulkStatus: 'Сменить статус',
    bulkJunkReason: 'Причина брака',
    bulkJunk: 'В брак',
    bulkRefused: 'Не изменены: {list}',
    importCustomFields: 'Дополнительные поля',
  },
});
