import { area } from './area';

// The inbox's day-one fixes: a thread taken away while open, the deal board's loss reason, the supervisor's queue.
export const inboxStrings = area({
  en: {
    takenBy: '{name} took this conversation.',
    youAssignedTo: 'You assigned this conversation to {name}.',
    noLongerVisible: 'This conversation is no longer yours to see.',
    conversationUnavailable: 'This conversation does not exist or is not yours to see.',
    readOnlyDraftKept: 'It is read-only here now; your draft is kept below.',
    participantNotice: 'You were mentioned in this conversation: you can read it and add private notes. Its assignee answers the customer.',
    copyDraft: 'Copy draft',
    draftCopied: 'Draft copied',
    loseDealTitle: 'Why was “{title}” lost?',
    chooseLossReason: 'Choose a reason',
    markLost: 'Mark as lost',
    queueUnassigned: 'unassigned',
    queueNoPreview: 'no text',
    queueAnswered: 'nobody waiting',
  },
  ru: {
    takenBy: '{name} забрал(а) этот диалог.',
    youAssignedTo: 'Вы передали этот диалог: {name}.',
    noLongerVisible: 'Этот диалог вам больше не виден.',
    conversationUnavailable: 'Этого диалога нет, или он вам не виден.',
    readOnlyDraftKept: 'Теперь он только для чтения; ваш черновик сохранён ниже.',
    participantNotice: 'Вас упомянули в этом диалоге: вы можете читать его и добавлять внутренние заметки. Клиенту отвечает ответственный.',
    copyDraft: 'Скопировать черновик',
    draftCopied: 'Черновик скопирован',
    loseDealTitle: 'Почему сделка «{title}» проиграна?',
    chooseLossReason: 'Выберите причину',
    markLost: 'Отметить проигранной',
    queueUnassigned: 'не назначен',
    queueNoPreview: 'без текста',
    queueAnswered: 'никто не ждёт',
  },
});
