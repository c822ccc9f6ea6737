import { Injectable } from '@nestjs/common';

/**
 * The time scheduled work goes by. The system clock in service; in tests a controlled one, moved forward
 * at will, so that a year of monthly charges or a week's deadline can be run in a second.
 */
export const CLOCK = Symbol('CLOCK');

export interface Clock {
  now(): Date;
}

@Injectable()
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** Real time shifted by an offset that tests set (CLOCK=controlled; refused in production). */
@Injectable()
export class ControlledClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves the clock to `instant` (forward or back); it then runs on from there. */
  set(instant: Date): void {
    this.offsetMs = instant.getTime() - Date.now();
  }

  advance(milliseconds: number): void {
    this.offsetMs += milliseconds;
  }
}
