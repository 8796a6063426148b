import type { CommentRow, Summary } from './aggregate';
export function renderReport(summary: Summary, top: CommentRow[]): string {
  return `<!doctype html><title>btl audit</title><pre>${JSON.stringify(summary).replace(/</g, '&lt;')}</pre>${top.length}`;
}
