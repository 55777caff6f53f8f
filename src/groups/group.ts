/** A group as the service keeps it (docs/groups.md). */
export interface Group {
  id: string;
  environmentId: string;
  /** The population the group is bound to; null: the whole environment. */
  populationId: string | null;
  name: string;
  description: string | null;
  externalId: string | null;
  customData: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a create or a replace writes; a patch writes some of it. */
export interface GroupFields {
  name: string;
  description: string | null;
  externalId: string | null;
  customData: Record<string, unknown> | null;
}

export interface MemberCounts {
  /** Users added to the group itself, and groups nested directly in it. */
  direct: { users: number; groups: number };
  /** Distinct users of the group and of every group nested in it, at any depth (read one, on request). */
  totalUsers?: number;
}

/** A group a user or a group belongs to: DIRECT when added to it, INDIRECT through nested groups only. */
export interface Membership {
  group: Group;
  type: 'DIRECT' | 'INDIRECT';
}

/** How deep groups may nest: a chain of at most this many groups, the outermost included (docs/groups.md). */
export const MAX_NESTING_DEPTH = 10;

/** The largest `customData` accepted, measured as its JSON text in UTF-8 bytes (docs/groups.md). */
export const MAX_CUSTOM_DATA_BYTES = 16_384;
