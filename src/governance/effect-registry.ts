import { Injectable } from '@nestjs/common';
import { assert } from '../kernel/assert.js';
import { DomainError } from '../kernel/errors/domain-error.js';
import type { ApprovalActionHandler, MotionEffectHandler } from './governance-actions.port.js';
import { GOVERNANCE_ERRORS } from './governance.errors.js';

/** What a decision may do: `<module>.<name>` → its handler, registered by the module that owns it. */
const KIND = /^[a-z][a-z-]*\.[a-z][a-z0-9-]*$/;

/** The effects and actions the modules offer, as registered when they start (GovernanceService). */
@Injectable()
export class EffectRegistry {
  private readonly effects = new Map<string, MotionEffectHandler>();
  private readonly actions = new Map<string, ApprovalActionHandler>();

  addEffect(kind: string, handler: MotionEffectHandler): void {
    assert(KIND.test(kind), `an effect is named <module>.<name>, got "${kind}"`);
    assert(!this.effects.has(kind), `effect ${kind} has one handler`);
    this.effects.set(kind, handler);
  }

  addAction(kind: string, handler: ApprovalActionHandler): void {
    assert(KIND.test(kind), `an action is named <module>.<name>, got "${kind}"`);
    assert(!this.actions.has(kind), `action ${kind} has one handler`);
    this.actions.set(kind, handler);
  }

  effect(kind: string): MotionEffectHandler {
    const handler = this.effects.get(kind);
    if (handler === undefined) {
      throw new DomainError(GOVERNANCE_ERRORS.UNKNOWN_EFFECT, `No module offers the effect "${kind}"`, {
        kind,
        known: [...this.effects.keys()].sort(),
      });
    }
    return handler;
  }

  action(kind: string): ApprovalActionHandler {
    const handler = this.actions.get(kind);
    if (handler === undefined) {
      throw new DomainError(GOVERNANCE_ERRORS.UNKNOWN_EFFECT, `No module offers the action "${kind}"`, {
        kind,
        known: [...this.actions.keys()].sort(),
      });
    }
    return handler;
  }

  effectKinds(): string[] {
    return [...this.effects.keys()].sort();
  }

  actionKinds(): string[] {
    return [...this.actions.keys()].sort();
  }
}
