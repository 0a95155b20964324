import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CountryRoles } from '../auth/access';
import { RequestContext } from '../auth/principal';
import { Ctx } from '../auth/request-context.decorator';
import { DRAFTING } from '../positive-lists/lists.resolver';
import { EntryImportReport, ImportEntriesInput } from './bulk.models';
import { EntryFileImport } from './entry-file-import';

@Resolver(() => EntryImportReport)
export class BulkResolver {
  constructor(private readonly files: EntryFileImport) {}

  @Mutation(() => EntryImportReport, {
    description:
      'OFFICIAL or APPROVER of that country: import a CSV or JSON file of entries into a draft, all or nothing (dryRun: report only).',
  })
  @CountryRoles({ ...DRAFTING, country: { arg: 'input.listVersionId', kind: 'listVersion' } })
  importEntries(@Ctx() ctx: RequestContext, @Args('input') input: ImportEntriesInput) {
    return this.files.importEntries(ctx, input);
  }
}
