// The scale scenario of the benchmark writes only its own section of BENCHMARKS.md: it replaces
// that section (or appends it), and the default run keeps it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findSection, SCALE_HEADING, spliceSection } from '../bench/scale.js';

const DOC = `# diglot benchmarks\n\nIntro.\n\n## Results\n\n| a |\n\n## Glossary at scale (issue 16)\n\nTable.\n`;
const SECTION = `${SCALE_HEADING}\n\nNew figures.\n`;

test('spliceSection appends the section once, then replaces it in place, leaving the rest byte for byte', () => {
  const once = spliceSection(DOC, SCALE_HEADING, SECTION);
  assert.equal(once, `${DOC}\n${SECTION}`);
  const again = spliceSection(once, SCALE_HEADING, `${SCALE_HEADING}\n\nNewer figures.\n`);
  assert.equal(again, `${DOC}\n${SCALE_HEADING}\n\nNewer figures.\n`);

  // A section in the middle: what follows it stays.
  const middle = `# t\n\n${SCALE_HEADING}\n\nOld.\n\n## Later\n\nKept.\n`;
  assert.equal(spliceSection(middle, SCALE_HEADING, SECTION), `# t\n\n${SECTION}\n## Later\n\nKept.\n`);
});

test('findSection gives the section up to the next heading, or nothing', () => {
  assert.equal(findSection(DOC, SCALE_HEADING), undefined);
  const doc = `# t\n\n${SCALE_HEADING}\n\nOld.\n\n## Later\n\nKept.\n`;
  assert.equal(findSection(doc, SCALE_HEADING), `${SCALE_HEADING}\n\nOld.\n`);
  // What the default run does: its new report, with the old scale section carried over.
  const carried = spliceSection('# new\n\n## Results\n\nx\n', SCALE_HEADING, findSection(doc, SCALE_HEADING)!);
  assert.equal(carried, `# new\n\n## Results\n\nx\n\n${SCALE_HEADING}\n\nOld.\n`);
});
