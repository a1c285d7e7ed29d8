// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { SensorContext } from '@dnd-kit/core';
import { columnCoordinates } from '../components/board/columnKeyboard';

const rect = (left: number, width = 200) => ({ left, top: 0, width, height: 600, right: left + width, bottom: 600 });
// Three columns 200 px wide with 12 px gaps; a 180 px card in the first column.
const context = (cardLeft: number) => ({
  collisionRect: { left: cardLeft, top: 100, width: 180, height: 60, right: cardLeft + 180, bottom: 160 },
  droppableRects: new Map([['a', rect(0)], ['b', rect(212)], ['c', rect(424)]]),
}) as unknown as SensorContext;
const key = (code: string) => new KeyboardEvent('keydown', { code, cancelable: true });

describe('board keyboard: arrows move a whole column', () => {
  it('Right puts the card on the next column\'s centre, Left on the previous one', () => {
    expect(columnCoordinates(key('ArrowRight'), { active: 'x', currentCoordinates: { x: 10, y: 100 }, context: context(10) }))
      .toEqual({ x: 10 + 212, y: 100 });
    expect(columnCoordinates(key('ArrowLeft'), { active: 'x', currentCoordinates: { x: 222, y: 100 }, context: context(222) }))
      .toEqual({ x: 10, y: 100 });
  });

  it('no column that way, or Up/Down: the card stays', () => {
    expect(columnCoordinates(key('ArrowLeft'), { active: 'x', currentCoordinates: { x: 10, y: 100 }, context: context(10) })).toBeUndefined();
    expect(columnCoordinates(key('ArrowRight'), { active: 'x', currentCoordinates: { x: 434, y: 100 }, context: context(434) })).toBeUndefined();
    expect(columnCoordinates(key('ArrowDown'), { active: 'x', currentCoordinates: { x: 10, y: 100 }, context: context(10) })).toBeUndefined();
  });
});
