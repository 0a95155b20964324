/**
 * The API explorer's first tabs: one example per kind of user, each a single operation (so
 * the run button runs it without asking which), with real field names from src/schema.gql.
 * GraphiQL shows them only to a browser that has no tabs of its own saved yet.
 */
export interface ExampleTab {
  query: string;
  variables?: string;
  headers?: string;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

export const EXAMPLE_TABS: ExampleTab[] = [
  {
    query: `# The public (no key): each host country
# and its list in force today.
query ListsInForce {
  hostCountries {
    code
    name
    currentList {
      version
      effectiveFrom
      entryCount
    }
  }
}
`,
  },
  {
    query: `# The public (no key): entries of the
# lists in force, across countries.
query SearchEntries($filter: EntrySearch) {
  searchEntries(filter: $filter, first: 20) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        key
        name
        kind
        technologies
      }
    }
  }
}
`,
    variables: json({ filter: { text: 'solar' } }),
  },
  {
    query: `# A project developer (no key): is this
# activity eligible, on what baseline?
query CheckEligibility($q: EligibilityQuery!) {
  checkEligibility(query: $q) {
    status
    explanation
    listVersion {
      version
      effectiveFrom
    }
    matches {
      status
      explanation
      missingParameters
      baselineValue
      entry {
        key
        name
      }
    }
  }
}
`,
    variables: json({
      q: {
        hostCountry: 'GHA',
        activityKey: 'GHA-SOLAR-UTILITY',
        parameters: [
          { name: 'capacityMW', number: 12 },
          { name: 'gridPenetrationPct', number: 3 },
        ],
        baselineYear: 2030,
      },
    }),
  },
  {
    query: `# An auditor (AUDITOR or ADMIN key in the
# Headers tab): the history and a full check.
query AuditTrail {
  auditEvents(first: 20) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        seq
        occurredAt
        action
        entityType
        reason
        actor {
          name
          role
          hostCountry
        }
        hash
      }
    }
  }
  verifyAuditTrail {
    valid
    eventsChecked
    headSeq
    message
  }
}
`,
    headers: json({ authorization: 'Bearer YOUR-AUDITOR-KEY' }),
  },
  {
    query: `# An official (OFFICIAL or APPROVER key in
# the Headers tab): open a draft.
mutation CreateDraft($input: CreateDraftInput!) {
  createDraft(input: $input) {
    id
    version
    status
  }
}
`,
    variables: json({
      input: {
        hostCountry: 'GHA',
        title: 'Article 6 positive list',
        reason: 'Yearly review of the list',
      },
    }),
    headers: json({ authorization: 'Bearer YOUR-OFFICIAL-KEY' }),
  },
];
