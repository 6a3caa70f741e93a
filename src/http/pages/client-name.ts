import type { Client } from '../../domain/types.js';

/** What the pages call a client: its display name, or its id when it has none. */
export const clientName = (client: Pick<Client, 'id' | 'name'>): string => client.name ?? client.id;
