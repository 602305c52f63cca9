// The journeys' layout assertion: run in the page, it returns the problems a person would see.
(() => {
  const width = document.documentElement.clientWidth;
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const inScroller = (el, stop) => {
    for (let up = el.parentElement; up && up !== stop; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') return true;
    }
    return false;
  };
  const shown = (el) => { const box = el.getBoundingClientRect(); return box.width > 1 && box.height > 1; };
  const problems = [];
  if (document.documentElement.scrollWidth > width + 1) {
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}px on a ${width}px screen`);
  }
  for (const el of document.querySelectorAll('body *')) {
    if (!shown(el) || inScroller(el, null)) continue;
    const right = el.getBoundingClientRect().right;
    if (right > width + 1) problems.push(`${describe(el)} runs to ${Math.round(right)}px on a ${width}px screen`);
  }
  const cards = [...document.querySelectorAll('.card')].filter((card) => shown(card) && !card.parentElement.closest('.card'));
  for (const card of cards) {
    const edge = card.getBoundingClientRect();
    for (const el of card.querySelectorAll('*')) {
      if (!shown(el) || inScroller(el, card) || getComputedStyle(el).position === 'absolute') continue;
      const box = el.getBoundingClientRect();
      if (box.right > edge.right + 1 || box.left < edge.left - 1) {
        problems.push(`${describe(el)} spills out of its card (${describe(card)})`);
        break;
      }
    }
  }
  for (let i = 0; i < cards.length; i++) {
    for (let j = i + 1; j < cards.length; j++) {
      const a = cards[i].getBoundingClientRect(), b = cards[j].getBoundingClientRect();
      if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) {
        problems.push(`${describe(cards[i])} and ${describe(cards[j])} overlap`);
      }
    }
  }
  return [...new Set(problems)].slice(0, 12);
})
