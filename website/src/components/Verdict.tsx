import React from 'react';
import Link from '@docusaurus/Link';

/** A verdict as a coloured word (never a glyph alone), optionally linking somewhere. */
export default function Verdict({ verdict, to }: { verdict: string | null; to?: string }): React.ReactElement {
  const word = verdict ?? 'not run';
  const cls = `verdict verdict-${verdict ?? 'none'}`;
  return to ? (
    <Link className={cls} to={to}>
      {word}
    </Link>
  ) : (
    <span className={cls}>{word}</span>
  );
}

export interface Score {
  x: number;
  y: number;
}

export function ScoreText({ score }: { score: Score | undefined }): React.ReactElement {
  if (!score || score.y === 0) return <span className="verdict-none">—</span>;
  return (
    <span title={`${score.x} of ${score.y} cases met their clause`}>
      {score.x} / {score.y}
    </span>
  );
}
