import { Foundation1795628985579 } from './1795628985579-Foundation';
import { AuditCheckpoints1795630254035 } from './1795630254035-AuditCheckpoints';
import { PositiveLists1795631512548 } from './1795631512548-PositiveLists';
import { PublishedListsIntegrity1796190000000 } from './1796190000000-PublishedListsIntegrity';
import { AuditTreeNodes1796300000000 } from './1796300000000-AuditTreeNodes';
import { ListChangeNotifications1796400000000 } from './1796400000000-ListChangeNotifications';
import { ConsoleSessions1796500000000 } from './1796500000000-ConsoleSessions';
import { Webhooks1796600000000 } from './1796600000000-Webhooks';

// Every migration, in order. Listed explicitly (not globbed) so that the compiled service,
// the CLI and the tests load exactly the same set.
export const MIGRATIONS: (new () => object)[] = [
  Foundation1795628985579,
  AuditCheckpoints1795630254035,
  PositiveLists1795631512548,
  PublishedListsIntegrity1796190000000,
  AuditTreeNodes1796300000000,
  ListChangeNotifications1796400000000,
  ConsoleSessions1796500000000,
  Webhooks1796600000000,
];
