import type { Principal } from '../kernel/principal.js';

/** What the demo's parts share once its people and organisations exist: who is who, and acting as them. */
export interface DemoWorld {
  /** Acts as a demo person, signed in with their own session (read again after roles change). */
  as(personKey: string): Promise<Principal>;
  personId(personKey: string): string;
  organizationId(organizationKey: string): string;
}
