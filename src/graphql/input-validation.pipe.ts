import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { ValidationError, getMetadataStorage, validate } from 'class-validator';
import { FieldProblem, invalid } from '../common/errors';

/** class-validator's errors as field problems, each with its full path under `prefix`. */
export function flatten(errors: ValidationError[], prefix: string): FieldProblem[] {
  return errors.flatMap((error) => {
    const isIndex = /^\d+$/.test(error.property);
    const field = isIndex ? `${prefix}[${error.property}]` : `${prefix}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Validates every GraphQL argument whose type is a decorated class, reporting each problem
 * with its full path (`input.ndc.url`) in `extensions.fields`. Runs after the guard, so an
 * unauthorised caller learns nothing about the expected shape.
 */
@Injectable()
export class InputValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype;
    if (!type || value === null || value === undefined || typeof value !== 'object') return value;
    // Only argument classes that declare validation rules (inputs); parents and loaders pass.
    const rules = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
    if (rules.length === 0) return value;
    const instance = plainToInstance(type, value) as object;
    const errors = await validate(instance, { forbidUnknownValues: true });
    if (errors.length > 0) {
      const fields = flatten(errors, metadata.data ?? 'input');
      throw invalid('input', fields);
    }
    return instance;
  }
}
