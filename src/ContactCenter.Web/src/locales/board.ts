import { area } from './area';

// The deals board's drag and drop (dnd-kit): the handle, the screen-reader instructions and announcements.
export const boardStrings = area({
  en: {
    boardMoveHandle: 'Move {title}',
    boardInstructions: 'To pick up a deal, press Space or Enter. Use the Left and Right arrows to move it to another stage. Press Space or Enter again to drop it there, or Escape to cancel.',
    boardPicked: 'Picked up {title} in {stage}.',
    boardOver: '{title} is over {stage}.',
    boardNotOver: '{title} is not over a stage.',
    boardDropped: '{title} dropped on {stage}.',
    boardCancelled: 'Moving {title} was cancelled.',
  },
  ru: {
    boardMoveHandle: 'Переместить «{title}»',
    boardInstructions: 'Чтобы взять сделку, нажмите пробел или Enter. Стрелками влево и вправо переносите её на другую стадию. Нажмите пробел или Enter ещё раз, чтобы оставить её там, или Escape для отмены.',
    boardPicked: 'Сделка «{title}» взята со стадии «{stage}».',
    boardOver: '«{title}» над стадией «{stage}».',
    boardNotOver: '«{title}» не над стадией.',
    boardDropped: '«{title}» перенесена на стадию «{stage}».',
    boardCancelled: 'Перенос «{title}» отменён.',
  },
});
