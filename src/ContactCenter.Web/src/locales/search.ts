import { area } from './area';

/** Message search (issue #16): the header's search box and the results view. */
export const search = area({
  en: {
    searchMessages: 'Search messages',
    searchMessagesPlaceholder: 'Messages, deals, contacts…',
    searchResults: 'Search results',
    searchResultsFor: 'Results for “{q}”',
    searchNothing: 'Nothing found for “{q}”.',
    searchTypeSomething: 'Type a word, a name or a phone number in the search box.',
    searchMore: 'More results',
    searchSearching: 'Searching…',
    searchOpenHit: 'Open the conversation at this message',
    newerMessages: 'Newer messages',
    searchRecords_deals: 'Deals',
    searchRecords_leads: 'Leads',
    searchRecords_contacts: 'Contacts',
    searchRecords_companies: 'Companies',
    searchRecords_messages: 'Messages',
  },
  ru: {
    searchMessages: 'Поиск по сообщениям',
    searchMessagesPlaceholder: 'Сообщения, сделки, контакты…',
    searchResults: 'Результаты поиска',
    searchResultsFor: 'Результаты по запросу «{q}»',
    searchNothing: 'По запросу «{q}» ничего не найдено.',
    searchTypeSomething: 'Введите в поле поиска слово, имя или номер телефона.',
    searchMore: 'Ещё результаты',
    searchSearching: 'Ищем…',
    searchOpenHit: 'Открыть диалог на этом сообщении',
    newerMessages: 'Более новые сообщения',
    searchRecords_deals: 'Сделки',
    searchRecords_leads: 'Лиды',
    searchRecords_contacts: 'Контакты',
    searchRecords_companies: 'Компании',
    searchRecords_messages: 'Сообщения',
  },
});
