import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsOptional, IsString, IsUUID } from 'class-validator';
import { Reason } from '../common/validation';
import { ImportAction, ImportMode } from '../positive-lists/entry-import.service';
import { PositiveListVersion } from '../positive-lists/lists.models';
import { EntryFileFormat } from './entry-file';

registerEnumType(EntryFileFormat, {
  name: 'EntryFileFormat',
  description: "CSV: one row per entry, the template's columns. JSON: an array of EntryFields.",
});
registerEnumType(ImportMode, {
  name: 'ImportMode',
  valuesMap: {
    ADD_ONLY: { description: 'Add new keys; entries already on the draft stay as they are.' },
    UPSERT: { description: "Add new keys; entries already on the draft take the file's content." },
  },
});
registerEnumType(ImportAction, { name: 'ImportAction' });

@InputType()
export class ImportEntriesInput {
  @Field(() => ID) @IsUUID('all', { message: 'must be a list version id' }) listVersionId!: string;
  @Field({ description: "The file's text (UTF-8), up to the request body limit." })
  @IsString()
  content!: string;
  @Field(() => EntryFileFormat, {
    nullable: true,
    description: 'Default: JSON when the content starts with [ or {, else CSV.',
  })
  @IsOptional()
  @IsEnum(EntryFileFormat)
  format?: EntryFileFormat | null;
  @Field(() => ImportMode, { nullable: true, description: 'Default ADD_ONLY.' })
  @IsOptional()
  @IsEnum(ImportMode)
  mode?: ImportMode | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'Report only; change nothing. Default false.',
  })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean | null;
  @Field() @Reason() reason!: string;
}

@ObjectType({ description: 'A row of the file that was, or would be, imported.' })
export class ImportedRow {
  @Field(() => Int, {
    description: 'CSV: the spreadsheet row (the header is 1). JSON: the item, from 1.',
  })
  row!: number;
  @Field() key!: string;
  @Field(() => ImportAction) action!: ImportAction;
}

@ObjectType({ description: 'Why a row was refused: one per problem, in the words of addEntry.' })
export class RefusedCell {
  @Field(() => Int) row!: number;
  @Field({ description: 'CSV: the column (criterion1.threshold). JSON: the field path.' })
  column!: string;
  @Field() message!: string;
}

@ObjectType()
export class EntryImportReport {
  @Field(() => PositiveListVersion) listVersion!: PositiveListVersion;
  @Field(() => EntryFileFormat) format!: EntryFileFormat;
  @Field() dryRun!: boolean;
  @Field({ description: 'True when the entries were written (not a dry run, no row refused).' })
  applied!: boolean;
  @Field(() => Int, { description: 'Rows read from the file (blank rows are skipped).' })
  rows!: number;
  @Field(() => [ImportedRow]) accepted!: ImportedRow[];
  @Field(() => [RefusedCell]) refused!: RefusedCell[];
  @Field(() => Int) created!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int) unchanged!: number;
  @Field(() => Int, {
    description: 'ADD_ONLY: keys already on the draft, with other content, kept.',
  })
  kept!: number;
}
