import type { KeyboardCoordinateGetter } from '@dnd-kit/core';

/**
 * Arrow keys move a lifted card a whole column at a time (dnd-kit's default moves 25 px per press, which would take
 * a dozen presses to reach the next stage): Right/Left put the card's centre on the nearest column's centre that way.
 */
export const columnCoordinates: KeyboardCoordinateGetter = (event, { currentCoordinates, context }) => {
  const dir = event.code === 'ArrowRight' ? 1 : event.code === 'ArrowLeft' ? -1 : 0;
  const card = context.collisionRect;
  if (!dir || !card) return undefined;
  event.preventDefault();
  const cardX = card.left + card.width / 2;
  let best: number | null = null;
  for (const rect of context.droppableRects.values()) {
    const x = rect.left + rect.width / 2;
    if ((x - cardX) * dir <= 1) continue;
    if (best === null || Math.abs(x - cardX) < Math.abs(best - cardX)) best = x;
  }
  return best === null ? undefined : { x: currentCoordinates.x + (best - cardX), y: currentCoordinates.y };
};
