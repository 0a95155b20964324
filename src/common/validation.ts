import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { applyDecorators } from '@nestjs/common';

/** Trims strings so that "  " counts as empty and stored values carry no stray spaces. */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** A required, non-blank text of at most `max` characters. */
export const RequiredText = (max: number) =>
  applyDecorators(Trim(), IsString(), IsNotEmpty({ message: 'must not be empty' }), MaxLength(max));

/** The justification every change carries into the audit trail. */
export const Reason = () => RequiredText(2000);
