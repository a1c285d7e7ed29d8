import { area } from './area';

// The WhatsApp composer: the 24-hour window and the template picker.
export default area({
  en: {
    waWindowClosed: 'The WhatsApp 24-hour window is closed: the customer last wrote more than 24 hours ago. Only an approved template can be sent.',
    waOptedOut: 'This customer opted out of WhatsApp messages (wrote STOP). Nothing can be sent until they write START.',
    waTemplate: 'Template',
    waChooseTemplate: 'Choose a template…',
    waParameter: 'Parameter {n}',
    waSendTemplate: 'Send template',
    waNoTemplates: 'No approved templates on this WhatsApp Business Account.',
    waTemplatesFailed: 'Templates could not be loaded: {reason}',
    waTemplateFailed: 'Template not sent: {reason}',
  },
  ru: {
    waWindowClosed: '24-часовое окно WhatsApp закрыто: клиент писал больше суток назад. Можно отправить только одобренный шаблон.',
    waOptedOut: 'Клиент отписался от сообщений WhatsApp (написал СТОП). Отправка невозможна, пока он не напишет СТАРТ.',
    waTemplate: 'Шаблон',
    waChooseTemplate: 'Выберите шаблон…',
    waParameter: 'Параметр {n}',
    waSendTemplate: 'Отправить шаблон',
    waNoTemplates: 'В аккаунте WhatsApp Business нет одобренных шаблонов.',
    waTemplatesFailed: 'Не удалось загрузить шаблоны: {reason}',
    waTemplateFailed: 'Шаблон не отправлен: {reason}',
  },
});
