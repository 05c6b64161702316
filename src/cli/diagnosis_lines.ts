// The run's diagnosis as the CLI prints it after training: each finding's severity, check, what it saw and what to try.
import type { Finding } from '../training/diagnosis_types';

export function diagnosisLines(findings: Finding[]): string {
  if (findings.length === 0) return 'Diagnosis: nothing to report (no check found a problem).';
  const lines = ['Diagnosis (also in metrics.json):'];
  for (const f of findings) {
    lines.push(`  [${f.severity}] ${f.check}: ${f.message}`);
    lines.push(`    try: ${f.advice}${f.apply ? ` (settings: ${JSON.stringify(f.apply)})` : ''}`);
  }
  return lines.join('\n');
}
