export { type AckSummary, type AuditOptions, type AuditReport, runAudit } from './audit.ts';
export { readAcksFile, readJournalFile } from './files.ts';
export { auditJunit, renderAuditTable } from './report.ts';
export { TargetReader, type TargetReaderOptions } from './target.ts';
