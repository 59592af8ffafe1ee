import fs from 'node:fs';
import { z } from 'zod';
import { calendarDate } from '../shared/calendar-date.js';
import { ValidationError, type FieldIssue } from '../shared/errors.js';
import { parseAt } from '../shared/parse-yaml-schema.js';
import { readYamlObjects } from '../shared/yaml-documents.js';
import { ZONES } from './grading.js';

/**
 * The zero-config OKR file of `sextant okr grade --file`: one period and its
 * objectives, each key result with its start, target and dated values (the
 * latest on or before `--at` is the current one), or a milestone zone.
 */
const valueSchema = z.strictObject({ date: calendarDate, value: z.number() });
const keyResultSchema = z
  .strictObject({
    id: z.string().trim().min(1),
    title: z.string().optional(),
    start: z.number().optional(),
    target: z.number().optional(),
    weight: z.number().positive({ message: 'must be greater than 0' }).default(1),
    values: z.array(valueSchema).default([]),
    /** A milestone key result: the zone reached so far (fail, commit, target, stretch). */
    zone: z.enum(ZONES).optional(),
  })
  .superRefine((kr, ctx) => {
    if (kr.zone !== undefined) return;
    if (kr.start === undefined) ctx.addIssue({ code: 'custom', path: ['start'], message: 'required (or give a milestone `zone`)' });
    if (kr.target === undefined) ctx.addIssue({ code: 'custom', path: ['target'], message: 'required (or give a milestone `zone`)' });
    if (kr.start !== undefined && kr.target !== undefined && kr.start === kr.target)
      ctx.addIssue({ code: 'custom', path: ['target'], message: `equals start (${kr.start}): progress would be undefined` });
  });

export const okrFileSchema = z
  .strictObject({
    period: z.strictObject({ start: calendarDate, end: calendarDate }),
    objectives: z
      .array(
        z.strictObject({
          id: z.string().trim().min(1),
          title: z.string().default(''),
          kind: z.enum(['committed', 'aspirational']).default('aspirational'),
          weight: z.number().positive({ message: 'must be greater than 0' }).default(1),
          keyResults: z.array(keyResultSchema).min(1, { message: 'needs at least one key result' }),
        }),
      )
      .min(1, { message: 'needs at least one objective' }),
  })
  .superRefine((file, ctx) => {
    if (file.period.end < file.period.start) ctx.addIssue({ code: 'custom', path: ['period', 'end'], message: 'is before period.start' });
  });

export type OkrFile = z.infer<typeof okrFileSchema>;

/** Reads and validates the file; every problem names its field with file:line, and nothing is graded. */
export function loadOkrFile(file: string): OkrFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new ValidationError(`Cannot read ${file}`, [{ field: '--file', message: reason, file }]);
  }
  return parseOkrFile(text, file);
}

export function parseOkrFile(text: string, file: string): OkrFile {
  const issues: FieldIssue[] = [];
  const objects = readYamlObjects(text, file, issues);
  if (issues.length === 0 && objects.length !== 1) {
    issues.push({ field: '(file)', file, message: objects.length === 0 ? 'is empty' : 'holds more than one document' });
  }
  const object = objects[0];
  const parsed = issues.length === 0 && object ? parseAt(okrFileSchema, object, object.value, [], issues) : undefined;
  if (parsed === undefined || issues.length > 0) throw new ValidationError(`${file} is not a valid OKR file`, issues);
  return parsed;
}
